import Foundation
import GRDB
import STSCore
import Testing
import STSStore

/// Benchmark-like: prints the insert rate; asserts only that every row arrived. The scanner
/// needs >= 20,000 rows/s (release build); run with `swift test -c release --filter Throughput`.
@Suite struct ThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STSSCAN_BENCHMARKS"] == "1", "a benchmark: scripts/bench-tests.sh runs it"))
    func insertRateWithFiveFindingsPerRow() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        // 20k rows by default (debug CI); STSSTORE_BENCH_ROWS=1000000 for a real figure.
        let rows = ProcessInfo.processInfo.environment["STSSTORE_BENCH_ROWS"].flatMap(Int.init) ?? 20_000
        let batchSize = ProcessInfo.processInfo.environment["STSSTORE_BENCH_BATCH"].flatMap(Int.init) ?? 1_000
        let findings = [Finding(.txtAbsent), Finding(.tlsrptAbsent), Finding(.mxNull, "0 ."),
                        Finding(.txtExtension, "ext=1"), Finding(.policyUnknownField, "foo: bar")]
        let template = Fixtures.plain(0)
        let start = Date()
        let cpuStart = clock()
        for first in stride(from: 0, to: rows, by: batchSize) {
            var batch: [DomainRecord] = []
            batch.reserveCapacity(batchSize)
            for position in first..<min(first + batchSize, rows) {
                var record = template
                record.position = position
                record.domain = "domain-\(position).example"
                record.input = record.domain
                record.findings = findings
                record.mxHosts = [MXHost(preference: 10, host: "mx.\(record.domain)")]
                batch.append(record)
            }
            try store.write(scanID: id, batch)
        }
        let seconds = Date().timeIntervalSince(start)
        // CPU time too: on a shared machine the wall-clock rate depends on the neighbours.
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        print("STSStore insert throughput: \(Int(Double(rows) / seconds)) rows/s wall, "
              + "\(Int(Double(rows) / cpu)) rows/s of CPU "
              + "(\(rows) rows, 5 findings + 1 MX host each, batches of \(batchSize), \(String(format: "%.2f", seconds)) s)")
        try store.queue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") == rows)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM findings") == rows * 3)  // txt-absent and tlsrpt-absent are not stored as rows
        }
    }
}
