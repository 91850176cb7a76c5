import Synchronization

/// A flag a cancellation handler sets and synchronous work (SQLite's progress handler)
/// polls: `Task.isCancelled` is not reliable on the threads such work runs on.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
