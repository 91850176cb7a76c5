import Foundation
import GRDB
import STSCore
import STSEngine
import STSStore
import Testing
@testable import STSScanner

/// Issue 25: a list of many spellings of the same names (case, root dot, U-labels) resolves
/// each name once; every entry still gets its row, and the repeats are marked
/// `input-duplicate` when the scan finishes.
@Suite struct RepeatCoalescingTests {
    static let metadata = ScanMetadata(startedAt: Date(), toolVersion: "test", caresVersion: "-", curlVersion: "-",
                                       sqliteVersion: "-", resolvers: ["127.0.63.1"], options: [:], inputName: "-")

    /// `concurrency` 1: entries finish in list order, so the window's content is known.
    private func scan(_ names: [String], engine: ScriptedEngine, window: Int = ScanPipeline.Settings().repeatWindow,
                      concurrency: Int = 64) async throws -> (store: ResultStore, scanID: Int64, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-repeats-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let list = directory.appendingPathComponent("list.txt")
        try Data(names.map { $0 + "\n" }.joined().utf8).write(to: list)
        let store = try ResultStore(path: directory.appendingPathComponent("scan.sqlite").path)
        let scanID = try store.beginScan(Self.metadata)
        var settings = ScanPipeline.Settings()
        settings.concurrency = concurrency
        settings.batchSize = 200
        settings.repeatWindow = window
        let pipeline = ScanPipeline(probe: DomainProbe(engine: engine), store: store, scanID: scanID,
                                    settings: settings, counters: ScanCounters())
        try await pipeline.run(reader: InputReader(path: list.path), finished: .none)
        return (store, scanID, directory)
    }

    @Test func manySpellingsOfTwoNamesAreResolvedOnce() async throws {
        var engine = workingDeployment()
        engine.set("xn--bcher-kva.example", .mx, .make(.ok, mx: [(10, "mx.xn--bcher-kva.example.")]))
        let spellings = ["example.com", "EXAMPLE.com", "Example.Com.", "example.com.", "bücher.example", "BÜCHER.example.",
                         "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE"]
        let names = (0..<3000).map { spellings[$0 % spellings.count] }
        let (store, scanID, directory) = try await scan(names, engine: engine)
        defer { try? FileManager.default.removeItem(at: directory) }

        let lookups = engine.lookups.probed
        #expect(lookups.filter { $0 == "mx example.com" }.count == 1, "\(lookups.count) lookups")
        #expect(lookups.filter { $0 == "mx xn--bcher-kva.example" }.count == 1)
        // As many lookups as a list of the two names once.
        var fresh = engine
        fresh.lookups = ProbeCounter()
        let (_, _, once) = try await scan(["example.com", "bücher.example"], engine: fresh)
        try? FileManager.default.removeItem(at: once)
        #expect(lookups.sorted() == fresh.lookups.probed.sorted())

        let rows = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT position, domain, input, mx_status, sts_record, policy_status, mode, error_code "
                                 + "FROM domain_results WHERE scan_id = ? ORDER BY position", arguments: [scanID])
        }
        #expect(rows.count == 3000, "every entry has its row")
        #expect(rows.map { $0["input"] as String } == names, "each row keeps its own spelling")
        let measured = Dictionary(grouping: rows, by: { $0["domain"] as String }).mapValues { group in
            Set(group.map { row in ["mx_status", "sts_record", "policy_status", "mode", "error_code"]
                .map { (row[$0] as DatabaseValue).description } })
        }
        #expect(measured.keys.sorted() == ["example.com", "xn--bcher-kva.example"])
        #expect(measured.values.allSatisfy { $0.count == 1 }, "every spelling has the same measurements: \(measured)")
        #expect(measured["example.com"]?.first?.joined().contains("enforce") == true)

        #expect(try store.markDuplicates(scanID: scanID) == 2998)
    }

    /// Repeats further back than the window are probed again (and still marked).
    @Test func aRepeatBeyondTheWindowIsProbedAgain() async throws {
        let engine = ScriptedEngine()
        let names = ["a.example", "b.example", "c.example", "d.example", "A.example", "d.example."]
        let (store, scanID, directory) = try await scan(names, engine: engine, window: 2, concurrency: 1)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mx = engine.lookups.probed.filter { $0.hasPrefix("mx ") }
        #expect(mx.filter { $0 == "mx a.example" }.count == 2, "\(mx)")
        #expect(mx.filter { $0 == "mx d.example" }.count == 1, "\(mx)")
        #expect(try store.markDuplicates(scanID: scanID) == 2)
    }
}
