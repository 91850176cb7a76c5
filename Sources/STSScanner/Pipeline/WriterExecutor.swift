import Dispatch

/// Runs the SQLite writer's task on a serial dispatch queue instead of Swift's cooperative
/// pool. A write transaction blocks its thread for milliseconds; on the pool (one thread per
/// core) that would stall every probe continuation behind it.
final class WriterExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: the only state is an immutable serial DispatchQueue, itself thread-safe.
    private let queue: DispatchQueue

    init(label: String = "stsscan.writer") {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
