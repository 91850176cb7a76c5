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
        /// When the first this-many domains looked up all fail every lookup, the scan stops
        /// (`ResolverHealth`): the resolver does not answer.
        public var resolverCheckDomains: Int = 50
        /// Once the scan is stopped, how long `afterCommit` (`--jsonl`) may take to catch up
        /// before its output is abandoned (a pipe nobody reads must not hold the scan).
        public var afterCommitGrace: Duration = .seconds(2)
        /// Distinct names whose results are kept so that a repeat of the name (another
        /// spelling) copies them instead of probing again (`RepeatCoalescer`); 0: every entry
        /// is probed.
        public var repeatWindow: Int = 2048
        public init() {}
    }

    public let probe: DomainProbe
    public let store: ResultStore
    public let scanID: Int64
    public let settings: Settings
    public let counters: ScanCounters
    /// Called with the positions of each batch once its transaction has committed (`scan
    /// --jsonl` reads them back), in commit order, on a thread of its own a few batches behind
    /// the writer (`CommitFollower`). A failure stops the scan like a failed write.
    public var afterCommit: (@Sendable (_ positions: [Int]) throws -> Void)?

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
    ///
    /// Stops the feed at once, and throws, when a write fails (disk full: the rows stored
    /// before stay intact and resumable) or when `health` finds that the resolver does not
    /// answer (`ScanError.resolverNotAnswering`).
    public func run(reader: InputReader, finished: PositionSkipper, health: ResolverHealth? = nil,
                    shard: ShardFilter? = nil) async throws {
        let queue = BoundedQueue<[DomainRecord]>(capacity: settings.writerQueueBatches)
        let permits = ResultPermits(limit: max(1, settings.concurrency)
                                        + (settings.writerQueueBatches + 1) * max(1, settings.batchSize))
        let stop = FeedStop()
        let follower = afterCommit.map { afterCommit in
            CommitFollower(capacity: settings.writerQueueBatches, afterCommit: afterCommit,
                           onFailure: { stop.stop(because: $0) })
        }
        let writer = Task(executorPreference: WriterExecutor()) { [store, scanID, counters] in
            try await Self.drain(queue, store: store, scanID: scanID, counters: counters, permits: permits,
                                 follower: follower, onFailure: { stop.stop(because: $0) })
        }
        let source = EntrySource(reader: reader, finished: finished, shard: shard)
        let feeding = Task { [self] in
            try await feed(source: source, queue: queue, permits: permits, health: health, stop: stop)
        }
        stop.attach(feeding)
        let grace = settings.afterCommitGrace
        defer { counters.afterCommitAbandoned.store(follower?.abandoned ?? false, ordering: .relaxed) }
        try await withTaskCancellationHandler {
            do {
                try await feeding.value
            } catch {
                queue.close()
                _ = try? await writer.value
                follower?.abandon(after: grace)
                _ = try? await follower?.finish()
                throw error
            }
            queue.close()
            do {
                try await writer.value
            } catch {
                follower?.abandon(after: grace)
                _ = try? await follower?.finish()
                throw error
            }
            if stop.isStopped { follower?.abandon(after: grace) }
            try await follower?.finish()
            if let reason = stop.reason { throw reason }
        } onCancel: {
            feeding.cancel()
            // Every finished row is stored whatever the follower does; its output waits no longer.
            follower?.abandon(after: grace)
        }
    }

    /// `concurrency` long-lived workers each take the next entry, probe it and hand the
    /// result to the batcher: no task per domain, and no central loop every result must pass.
    /// A timer hands the batcher's results to the writer once they are older than the flush
    /// interval, also while the input pauses.
    private func feed(source: EntrySource, queue: BoundedQueue<[DomainRecord]>,
                      permits: ResultPermits, health: ResolverHealth?, stop: FeedStop) async throws {
        let batcher = ResultBatcher(batchSize: settings.batchSize, flushInterval: settings.flushInterval)
        let repeats = RepeatCoalescer(window: settings.repeatWindow)
        let flusher = Task { [interval = settings.flushInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 4)
                if let batch = batcher.due() { await queue.send(batch) }
            }
        }
        defer { flusher.cancel() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, settings.concurrency) {
                    group.addTask { [probe, counters, repeats] in
                        while true {
                            await permits.acquire()  // backpressure: wait while SQLite is behind
                            var next: InputReader.Next = .notYet
                            var pause = EntrySource.idlePause
                            while case .notYet = next, !Task.isCancelled, !stop.isStopped {
                                do {
                                    next = try source.next()
                                } catch {
                                    permits.release(1)
                                    throw error
                                }
                                if case .notYet = next {
                                    // An idle input: wait without a thread, longer the longer it stays idle.
                                    try? await Task.sleep(for: pause)
                                    pause = min(pause * 2, EntrySource.longestIdlePause)
                                }
                            }
                            guard !Task.isCancelled, !stop.isStopped, case .entry(let entry) = next else {
                                permits.release(1)
                                return
                            }
                            counters.inFlight.add(1, ordering: .relaxed)
                            let result = await repeats.result(of: entry, probe: probe)
                            counters.inFlight.subtract(1, ordering: .relaxed)
                            // A probe cut short by cancellation is not stored: `--resume` redoes it.
                            guard !Task.isCancelled, !stop.isStopped else { permits.release(1); return }
                            if let health, health.record(result) {
                                // Nothing of a survey of DNS errors is worth keeping.
                                permits.release(1 + batcher.discard())
                                stop.stop(because: ScanError.resolverNotAnswering(domains: health.window))
                                return
                            }
                            if let batch = batcher.add(result) { await queue.send(batch) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            flusher.cancel()
            await flusher.value
            throw error
        }
        flusher.cancel()
        await flusher.value
        if stop.reason is ScanError {
            permits.release(batcher.discard())
        } else if let batch = batcher.remainder() {
            await queue.send(batch)
        }
    }

    /// The single writer: one transaction per batch. The first failure stops the feed
    /// (`onFailure`); later batches are dropped (their permits returned) so senders never hang.
    private static func drain(_ queue: BoundedQueue<[DomainRecord]>, store: ResultStore, scanID: Int64,
                              counters: ScanCounters, permits: ResultPermits, follower: CommitFollower?,
                              onFailure: @Sendable (Error) -> Void) async throws {
        // Runs on a cooperative thread but only blocks for one short transaction at a time.
        var pendingError: Error?
        var lastProgressWrite = ContinuousClock.now
        while let batch = await queue.receive() {
            defer { permits.release(batch.count) }
            guard pendingError == nil else { continue }  // keep draining so senders never hang
            do {
                try store.write(scanID: scanID, batch)
                counters.stored.add(batch.count, ordering: .relaxed)
                counters.errors.add(batch.reduce(0) { $0 + ($1.primaryError == nil ? 0 : 1) }, ordering: .relaxed)
                await follower?.committed(batch.map(\.position))
                if ContinuousClock.now - lastProgressWrite >= .seconds(2) {
                    lastProgressWrite = .now
                    try store.updateProgress(scanID: scanID, done: counters.stored.load(ordering: .relaxed),
                                             errors: counters.errors.load(ordering: .relaxed))
                }
            } catch {
                pendingError = error
                onFailure(error)
            }
        }
        if let pendingError { throw pendingError }
        // The last batches came in after the last periodic write: the scan's counts must
        // end equal to its rows.
        try store.updateProgress(scanID: scanID, done: counters.stored.load(ordering: .relaxed),
                                 errors: counters.errors.load(ordering: .relaxed))
    }
}
