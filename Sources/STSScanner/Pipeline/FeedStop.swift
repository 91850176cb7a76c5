import Synchronization

/// Stops the pipeline's feed from anywhere (the writer after a failed write, a worker that
/// found the resolver dead): cancels the feeding task and keeps the first reason.
final class FeedStop: Sendable {
    private struct State {
        var task: Task<Void, Error>?
        var reason: Error?
        var stopped = false
    }
    private let state = Mutex(State())

    /// The task to cancel; cancelled at once when a stop came first.
    func attach(_ task: Task<Void, Error>) {
        let stopped = state.withLock { state -> Bool in
            state.task = task
            return state.stopped
        }
        if stopped { task.cancel() }
    }

    func stop(because reason: Error) {
        let task = state.withLock { state -> Task<Void, Error>? in
            if state.reason == nil { state.reason = reason }
            state.stopped = true
            return state.task
        }
        task?.cancel()
    }

    /// Why the feed was stopped, if it was.
    var reason: Error? { state.withLock { $0.reason } }
}
