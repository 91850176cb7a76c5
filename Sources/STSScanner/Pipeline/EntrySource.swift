import Synchronization

/// The input as the probe workers share it: each `next()` hands out the next entry that is
/// not already stored (for `--resume`) and belongs to the scan's shard (`--shard`). One lock around the streaming reader and the
/// skipper keeps both single-consumer, as they require, and positions ascending.
///
/// `@unchecked Sendable`: `reader`, `skipper` and `idleUntil` are only touched under `lock`.
final class EntrySource: @unchecked Sendable {
    /// How long workers leave an idle input alone before asking it again.
    static let idlePause: Duration = .milliseconds(20)
    /// The longest wait of a worker for an idle input before it asks again.
    static let longestIdlePause: Duration = .milliseconds(320)

    private let reader: InputReader
    private var skipper: PositionSkipper
    private let shard: ShardFilter?
    private var exhausted = false
    /// An idle input (a pipe with no complete line) is not polled again before this.
    private var idleUntil = ContinuousClock.now
    private let lock = Mutex(())

    init(reader: InputReader, finished: PositionSkipper, shard: ShardFilter? = nil) {
        self.reader = reader
        skipper = finished
        self.shard = shard
    }

    /// The next entry to probe, `.notYet` while the input pauses, `.end` at its end. Never
    /// waits for input with the lock held, so the other workers, the flush timer and the
    /// writer keep their threads.
    func next() throws -> InputReader.Next {
        try lock.withLock { _ in
            while !exhausted {
                if ContinuousClock.now < idleUntil { return .notYet }
                switch try reader.nextAvailable() {
                case .end:
                    exhausted = true
                case .notYet:
                    idleUntil = .now + Self.idlePause
                    return .notYet
                case .entry(let entry):
                    if let shard, !shard.admits(entry) { continue }
                    if try !skipper.isFinished(entry.position) { return .entry(entry) }
                }
            }
            return .end
        }
    }
}
