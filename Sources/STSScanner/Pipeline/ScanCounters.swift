import Synchronization

/// Live counters shared by the pipeline, the writer and the progress display.
public final class ScanCounters: Sendable {
    /// Domains whose result is stored (including those stored by an earlier run, on resume).
    public let stored = Atomic<Int>(0)
    /// Stored domains whose primary finding is an error.
    public let errors = Atomic<Int>(0)
    /// Domains being probed right now.
    public let inFlight = Atomic<Int>(0)
    /// The pipeline stopped waiting for `afterCommit` (`--jsonl`) when the scan stopped: its
    /// output lacks lines of stored rows.
    public let afterCommitAbandoned = Atomic<Bool>(false)

    public init() {}
}
