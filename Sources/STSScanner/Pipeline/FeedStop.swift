import Synchronization

/// Stops the pipeline's feed from anywhere (the writer after a failed write, a worker that
/// found the resolver dead): cancels the feeding task and keeps the first reason. Workers
/// also ask `isStopped`, which holds from the moment of the stop (the feeding task may not
/// be attached yet when the first results come in).
final class FeedStop: Sendable {
    private struct State {
        var task: Task<Void, Error>?
        var reason: Error?
    }
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)

    /// The task to cancel; cancelled at once when a stop came first.
    func attach(_ task: Task<Void, Error>) {
        state.withLock { $0.task = task }
        if isStopped { task.cancel() }
    }

    func stop(because reason: Error) {
        let task = state.withLock { state -> Task<Void, Error>? in
            if state.reason == nil { state.reason = reason }
            return state.task
        }
        stopped.store(true, ordering: .sequentiallyConsistent)
        task?.cancel()
    }

    var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

    /// Why the feed was stopped, if it was.
    var reason: Error? { state.withLock { $0.reason } }
}
