import Synchronization

/// One caller's request and its continuation, typed by the request's kind. Completion,
/// cancellation and shutdown all go through `finish` / `cancel`, which take the
/// continuation out under the lock, so it is resumed exactly once whoever gets there first.
///
/// `@unchecked Sendable`: `state` is only touched under its `Mutex`; `transfer` and `smtpProbe`
/// are only touched by the loop thread (the only code that creates, starts and retires transfers).
final class RequestBox<Request: LoopRequest>: @unchecked Sendable {
    let request: Request
    private struct State {
        var continuation: CheckedContinuation<Request.Reply, Never>?
        var cancelled = false
        var finished = false
    }
    private let state = Mutex(State())
    /// Loop thread only, fetches only: the running transfer, so a cancellation can abort it.
    var transfer: Transfer?
    /// Loop thread only, probes only: the running STARTTLS probe, so a cancellation can stop it.
    var smtpProbe: SMTPProbe?

    init(_ request: Request) { self.request = request }

    /// Stores the continuation; returns false (after resuming it with the cancellation
    /// reply) when the task was cancelled before it got here.
    func install(_ continuation: CheckedContinuation<Request.Reply, Never>) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if state.cancelled { state.finished = true; return true }
            state.continuation = continuation
            return false
        }
        if cancelled { continuation.resume(returning: request.failureReply("cancelled")) }
        return !cancelled
    }

    /// Resumes the caller with `reply` unless it was already resumed. Returns whether it
    /// resumed.
    @discardableResult
    func finish(_ reply: Request.Reply) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<Request.Reply, Never>? in
            state.finished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: reply)
        return continuation != nil
    }

    /// Resumes the caller with the failure reply of its kind (the request was not carried out).
    func fail(_ reason: String) { finish(request.failureReply(reason)) }

    /// Task cancellation: resumes the caller at once with a failure. Returns whether it did
    /// (false when the request had already finished or not been installed yet).
    func cancel() -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<Request.Reply, Never>? in
            state.cancelled = true
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            state.finished = true
            return continuation
        }
        continuation?.resume(returning: request.failureReply("cancelled"))
        return continuation != nil
    }

    /// The caller has been resumed (by completion, cancellation or shutdown); the loop
    /// drops such requests wherever it finds them.
    var isFinished: Bool { state.withLock { $0.finished } }
}
