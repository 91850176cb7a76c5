import Dispatch

/// Runs blocking work (SQLite transactions, whole-file reads) on a thread of its own
/// instead of one of Swift concurrency's shared threads: the cooperative pool has one thread
/// per core (two here), and a 2 s duplicate pass or a hash of a 10^7-line list held on one of
/// them stalls every task scheduled behind it.
enum OffPool {
    /// Serial: a scan's blocking steps run one after another, never side by side.
    private static let queue = DispatchQueue(label: "stsscan.blocking-io")
    /// The list's count pass (the progress line's total), beside the scan and the queue above.
    static let count = DispatchQueue(label: "stsscan.list-count")

    /// The value of `work`, computed on the blocking-I/O queue; the caller suspends meanwhile.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }
}
