import Foundation
import STSCore
import STSStore

/// input -> probe (bounded concurrency) -> batched writer. Memory is bounded by
/// `concurrency` domains in flight plus `writerQueueBatches + 1` batches of results not yet
/// written (`ResultPermits`), whatever the length of the list.
public struct ScanPipeline: Sendable {
    public struct Settings: Sendable {
        /// Domains probed at once.
        public var concurrency: Int = 1000
        /// Rows per write transaction.
        public var batchSize: Int = 500
        /// A partial batch is written after this long, so a slow tail is still stored.
        public var flushInterval: Duration = .seconds(1)
        /// Batches waiting for the writer before intake pauses.
        public var writerQueueBatches: Int = 4
        public init() {}
    }

    public let probe: DomainProbe
    public let store: ResultStore
    public let scanID: Int64
    public let settings: Settings
    public let counters: ScanCounters

    public init(probe: DomainProbe, store: ResultStore, scanID: Int64, settings: Settings, counters: ScanCounters) {
        self.probe = probe
        self.store = store
        self.scanID = scanID
        self.settings = settings
        self.counters = counters
    }

    /// Scans every entry of `reader` whose position is not in `finished` (ascending
    /// positions already stored, for `--resume`). Returns when every admitted domain is
    /// stored. On task cancellation, stops admitting, drops unfinished probes and stores
    /// what completed before, so `--resume` can continue.
    public func run(reader: InputReader, finished: PositionSkipper) async throws {
        let queue = BoundedQueue<[DomainResult]>(capacity: settings.writerQueueBatches)
        let permits = ResultPermits(limit: max(1, settings.concurrency)
                                        + (settings.writerQueueBatches + 1) * max(1, settings.batchSize))
        let writer = Task(executorPreference: WriterExecutor()) { [store, scanID, counters] in
            try await Self.drain(queue, store: store, scanID: scanID, counters: counters, permits: permits)
        }
        do {
            try await feed(reader: reader, finished: finished, queue: queue, permits: permits)
        } catch {
            queue.close()
            _ = try? await writer.value
            throw error
        }
        queue.close()
        try await writer.value
    }

    /// `concurrency` long-lived workers each take the next entry, probe it and hand the
    /// result to the batcher: no task per domain, and no central loop every result must pass.
    private func feed(reader: InputReader, finished: PositionSkipper, queue: BoundedQueue<[DomainResult]>,
                      permits: ResultPermits) async throws {
        let source = EntrySource(reader: reader, finished: finished)
        let batcher = ResultBatcher(batchSize: settings.batchSize, flushInterval: settings.flushInterval)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, settings.concurrency) {
                group.addTask { [probe, counters] in
                    while true {
                        await permits.acquire()  // backpressure: wait while SQLite is behind
                        let next: InputEntry?
                        do {
                            next = Task.isCancelled ? nil : try source.next()
                        } catch {
                            permits.release(1)
                            throw error
                        }
                        guard let entry = next else { permits.release(1); return }
                        counters.inFlight.add(1, ordering: .relaxed)
                        let (result, _) = await probe.probe(entry)
                        counters.inFlight.subtract(1, ordering: .relaxed)
                        // A probe cut short by cancellation is not stored: `--resume` redoes it.
                        guard !Task.isCancelled else { permits.release(1); return }
                        if let batch = batcher.add(result) { await queue.send(batch) }
                    }
                }
            }
            try await group.waitForAll()
        }
        if let batch = batcher.remainder() { await queue.send(batch) }
    }

    /// The single writer: one transaction per batch.
    private static func drain(_ queue: BoundedQueue<[DomainResult]>, store: ResultStore, scanID: Int64,
                              counters: ScanCounters, permits: ResultPermits) async throws {
        // Runs on `WriterExecutor`'s serial dispatch queue (the task's executor preference),
        // not on a cooperative thread: each transaction blocks that queue, never the pool.
        var pendingError: Error?
        var lastProgressWrite = ContinuousClock.now
        while let batch = await queue.receive() {
            defer { permits.release(batch.count) }
            guard pendingError == nil else { continue }  // keep draining so senders never hang
            do {
                let records = batch.map(\.record)
                try store.write(scanID: scanID, records)
                counters.stored.add(batch.count, ordering: .relaxed)
                // `errorCode` is the primary error, already worked out for the record.
                counters.errors.add(records.reduce(0) { $0 + ($1.errorCode == nil ? 0 : 1) }, ordering: .relaxed)
                if ContinuousClock.now - lastProgressWrite >= .seconds(2) {
                    lastProgressWrite = .now
                    try store.updateProgress(scanID: scanID, done: counters.stored.load(ordering: .relaxed),
                                             errors: counters.errors.load(ordering: .relaxed))
                }
            } catch {
                pendingError = error
            }
        }
        if let pendingError { throw pendingError }
    }
}
