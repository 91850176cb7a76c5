import STSCore
import STSStore
import Synchronization

/// Watches the first results of a run: when every one of the first `window` domains whose
/// names were looked up had all three lookups fail (timeout, refused, SERVFAIL), the
/// resolver is not working (nothing listens, wrong address, no upstream), and storing a
/// survey of DNS errors would waste hours. One success disarms it for the rest of the run.
public final class ResolverHealth: Sendable {
    private struct State {
        var failed = 0
        var settled = false
    }
    private let state = Mutex(State())
    /// Domains looked up before the verdict.
    public let window: Int

    public init(window: Int) { self.window = max(1, window) }

    /// Records one result; true exactly once, when the window filled with failures only.
    public func record(_ result: DomainRecord) -> Bool {
        guard let failed = Self.lookupsFailed(result) else { return false }  // no lookup (invalid name)
        return state.withLock { state in
            guard !state.settled else { return false }
            guard failed else { state.settled = true; return false }
            state.failed += 1
            if state.failed >= window { state.settled = true; return true }
            return false
        }
    }

    /// Lookups of the run so far, all failed (for a warning when the list was shorter than the window).
    public var everyLookupFailed: Bool { state.withLock { !$0.settled && $0.failed > 0 } }

    /// nil when no lookup was made; else whether all three failed at the transport level.
    static func lookupsFailed(_ result: DomainRecord) -> Bool? {
        if result.findings.contains(where: { $0.code == .inputInvalidName }) { return nil }
        return result.mxStatus.isLookupFailure && result.stsRecord == .error && result.tlsrptRecord == .error
    }
}
