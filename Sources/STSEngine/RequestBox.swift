import Synchronization

/// What a caller asked the loop for.
enum RequestKind: Sendable {
    case dns([DNSLookup])
    case fetch(host: String, address: String, port: Int)
    case smtp(host: String, address: String, port: Int, ehloName: String)
}

/// What the loop answers.
enum EngineReply: Sendable {
    case dns([DNSAnswer])
    case fetch(FetchResult)
    case smtp(SMTPProbeResult)
}

/// One caller's request and its continuation. Completion, cancellation and shutdown all go
/// through `finish` / `cancel`, which take the continuation out under the lock, so it is
/// resumed exactly once whoever gets there first.
///
/// `@unchecked Sendable`: `state` is only touched under its `Mutex`; `transfer` and `smtpProbe`
/// are only touched by the loop thread (the only code that creates, starts and retires transfers).
final class RequestBox: @unchecked Sendable {
    let kind: RequestKind
    private struct State {
        var continuation: CheckedContinuation<EngineReply, Never>?
        var cancelled = false
        var finished = false
    }
    private let state = Mutex(State())
    /// Loop thread only: the running transfer of a fetch, so a cancellation can abort it.
    var transfer: Transfer?
    /// Loop thread only: the running STARTTLS probe, so a cancellation can stop it.
    var smtpProbe: SMTPProbe?

    init(kind: RequestKind) { self.kind = kind }

    /// Stores the continuation; returns false (after resuming it with the cancellation
    /// reply) when the task was cancelled before it got here.
    func install(_ continuation: CheckedContinuation<EngineReply, Never>) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if state.cancelled { state.finished = true; return true }
            state.continuation = continuation
            return false
        }
        if cancelled { continuation.resume(returning: cancellationReply) }
        return !cancelled
    }

    /// Resumes the caller with `reply` unless it was already resumed. Returns whether it
    /// resumed.
    @discardableResult
    func finish(_ reply: EngineReply) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<EngineReply, Never>? in
            state.finished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: reply)
        return continuation != nil
    }

    /// Task cancellation: resumes the caller at once with a failure. Returns whether it did
    /// (false when the request had already finished or not been installed yet).
    func cancel() -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<EngineReply, Never>? in
            state.cancelled = true
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            state.finished = true
            return continuation
        }
        continuation?.resume(returning: cancellationReply)
        return continuation != nil
    }

    /// The caller has been resumed (by completion, cancellation or shutdown); the loop
    /// drops such requests wherever it finds them.
    var isFinished: Bool { state.withLock { $0.finished } }

    var cancellationReply: EngineReply { failureReply("cancelled") }

    /// The reply for a request that ends without being carried out.
    func failureReply(_ reason: String) -> EngineReply {
        switch kind {
        case .dns(let lookups):
            return .dns(lookups.map { _ in DNSAnswer(status: .error(reason)) })
        case .fetch(_, let address, _):
            return .fetch(FetchResult(outcome: .failure(.other, detail: reason), address: address, elapsedMs: 0))
        case .smtp(let host, let address, _, _):
            return .smtp(SMTPProbeResult(host: host, outcome: .failure(.other, detail: reason), address: address, elapsedMs: 0))
        }
    }
}
