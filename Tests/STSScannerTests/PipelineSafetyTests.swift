import Foundation
import GRDB
import STSCore
import STSEngine
import STSStore
import Synchronization
import Testing
@testable import STSScanner

/// Issue 13: results are stored while the input pauses, Ctrl-C on an idle input stores what
/// finished, and a resolver that answers nothing stops the scan before it stores a survey
/// of DNS errors.
@Suite(.serialized) struct PipelineSafetyTests {
    final class Scratch: Sendable {
        let directory: URL
        var database: String { directory.appendingPathComponent("scan.sqlite").path }
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-pipeline-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static let metadata = ScanMetadata(startedAt: Date(), toolVersion: "test", caresVersion: "-", curlVersion: "-",
                                       sqliteVersion: "-", resolvers: ["127.0.63.1"], options: [:], inputName: "-")

    func rows(_ store: ResultStore) throws -> Int {
        try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM domain_results") ?? 0 }
    }

    /// Stdin that pauses after three names: they are stored within about the flush
    /// interval (the timer flushes; no new result has to arrive), and cancelling the run
    /// while the input is idle returns promptly with them kept.
    @Test func idleInputIsFlushedAndInterruptible() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fifo = try Fifo()
        defer { fifo.remove() }
        let store = try ResultStore(path: scratch.database)
        let scanID = try store.beginScan(Self.metadata)
        var settings = ScanPipeline.Settings()
        settings.concurrency = 8
        settings.flushInterval = .milliseconds(300)
        let pipeline = ScanPipeline(probe: DomainProbe(engine: workingDeployment()), store: store, scanID: scanID,
                                    settings: settings, counters: ScanCounters())
        let reader = try InputReader(path: fifo.path)
        fifo.write("example.com\nexample.org\nexample.net\n")
        let run = Task { try await pipeline.run(reader: reader, finished: .none) }
        let deadline = ContinuousClock.now + .seconds(10)
        while try rows(store) < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try rows(store) == 3, "finished results are stored while the input is idle")
        let cancelled = ContinuousClock.now
        run.cancel()
        try await run.value
        #expect(ContinuousClock.now - cancelled < .seconds(3))
        #expect(try rows(store) == 3)
    }

    /// Every lookup of the first domains fails (nothing listens at the resolver): the run
    /// stops with a clear error and stores none of those rows.
    @Test func deadResolverStopsTheScan() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = scratch.directory.appendingPathComponent("list.txt")
        try Data((0..<500).map { "d\($0).example\n" }.joined().utf8).write(to: list)
        var engine = ScriptedEngine()
        engine.failEverything = true
        let store = try ResultStore(path: scratch.database)
        let scanID = try store.beginScan(Self.metadata)
        var settings = ScanPipeline.Settings()
        settings.concurrency = 10
        settings.resolverCheckDomains = 20
        let pipeline = ScanPipeline(probe: DomainProbe(engine: engine), store: store, scanID: scanID,
                                    settings: settings, counters: ScanCounters())
        let health = ResolverHealth(window: 20)
        let reader = try InputReader(path: list.path)
        await #expect {
            try await pipeline.run(reader: reader, finished: .none, health: health)
        } throws: { error in
            guard case ScanError.resolverNotAnswering(20) = error else { return false }
            return "\(error)".contains("check --resolver")
        }
        #expect(reader.entriesRead < 100, "the feed stopped at once")
        #expect(try rows(store) == 0)
    }

    /// `afterCommit` (`scan --jsonl`) stuck for good, as in a write to a pipe nobody reads:
    /// the writer keeps storing a few batches ahead, and cancelling the run returns within the
    /// grace period with every finished row stored; the follower is reported abandoned.
    @Test func stuckAfterCommitDoesNotHoldTheScan() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = scratch.directory.appendingPathComponent("list.txt")
        try Data((0..<5000).map { "d\($0).example\n" }.joined().utf8).write(to: list)
        let store = try ResultStore(path: scratch.database)
        let scanID = try store.beginScan(Self.metadata)
        var settings = ScanPipeline.Settings()
        settings.concurrency = 50
        settings.batchSize = 100
        settings.afterCommitGrace = .milliseconds(500)
        let counters = ScanCounters()
        var pipeline = ScanPipeline(probe: DomainProbe(engine: workingDeployment()), store: store, scanID: scanID,
                                    settings: settings, counters: counters)
        let stuck = DispatchSemaphore(value: 0)
        defer { stuck.signal() }  // frees the blocked thread when the test ends
        let calls = Mutex(0)
        pipeline.afterCommit = { _ in
            if calls.withLock({ $0 += 1; return $0 }) == 2 { stuck.wait() }
        }
        let run = Task { try await pipeline.run(reader: InputReader(path: list.path), finished: .none) }
        // The writer goes on past the stuck call until the follower's queue is full, then stalls.
        var stalled = -1
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let before = try rows(store)
            try await Task.sleep(for: .milliseconds(400))
            if before > 0, try rows(store) == before { stalled = before; break }
        }
        #expect(stalled >= 2 * settings.batchSize && stalled < 5000, "\(stalled) rows when the writer stalled")
        let cancelled = ContinuousClock.now
        run.cancel()
        try await run.value
        #expect(ContinuousClock.now - cancelled < .seconds(3), "one cancellation ends the run")
        #expect(try rows(store) >= stalled)
        #expect(try rows(store) == counters.stored.load(ordering: .relaxed))
        let abandoned = counters.afterCommitAbandoned.load(ordering: .relaxed)
        #expect(abandoned)
    }

    /// One answer disarms the check: later failures (a server dying mid-scan) are recorded.
    @Test func resolverHealthOnlyJudgesTheStart() {
        let health = ResolverHealth(window: 3)
        var failed = DomainRecord(position: 0, rank: nil, domain: "a.example", input: "a.example")
        failed.mxStatus = .timeout
        var answered = failed
        answered.mxStatus = .ok
        answered.stsRecord = .absent
        var invalid = failed
        invalid.findings = [Finding(.inputInvalidName, "x")]
        #expect(!health.record(invalid))   // no lookup: not counted
        #expect(!health.record(failed))
        #expect(!health.record(answered))  // disarmed
        for _ in 0..<5 { #expect(!health.record(failed)) }
        #expect(!health.everyLookupFailed)

        let dead = ResolverHealth(window: 2)
        #expect(!dead.record(failed))
        #expect(dead.everyLookupFailed)
        #expect(dead.record(failed))
        #expect(!dead.record(failed))      // reported once
    }
}
