import Foundation
import STSReport
import Testing

/// Report timing on a synthetic scan. Prints the figure, asserts only correctness. Default
/// 50,000 rows; `scripts/bench-report.sh` runs it with STSREPORT_BENCH_ROWS=1000000 (and
/// STSREPORT_BENCH_DB=FILE keeps the database for timing the CLI).
@Suite struct ReportBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STSSCAN_BENCHMARKS"] == "1", "a benchmark: scripts/bench-tests.sh runs it"))
    func reportOverASyntheticScan() throws {
        let environment = ProcessInfo.processInfo.environment
        let rows = environment["STSREPORT_BENCH_ROWS"].flatMap(Int.init) ?? 50_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = environment["STSREPORT_BENCH_DB"] ?? directory.appendingPathComponent("bench.sqlite").path

        var start = Date()
        try SyntheticDatabase.fill(path: path, rows: rows)
        let fill = Date().timeIntervalSince(start)

        let database = try ReportDatabase(path: path)
        start = Date()
        let report = try ReportBuilder.report(database)
        let build = Date().timeIntervalSince(start)
        var timings: [String] = []
        for section in ReportSQL.sectionIDs {
            let sectionStart = Date()
            _ = try ReportBuilder.report(database, sections: [section])
            timings.append("\(section) \(String(format: "%.2f", Date().timeIntervalSince(sectionStart)))s")
        }
        print("STSReport benchmark: \(rows) rows filled in \(String(format: "%.1f", fill)) s; "
              + "full report (all \(report.sections.count) sections) in \(String(format: "%.2f", build)) s")
        print("STSReport per section: " + timings.joined(separator: ", "))

        #expect(report.section("list_funnel")?.rows.first?[1] == .integer(Int64(rows)))
        let usable = report.section("funnel")?.rows[1][1]
        #expect(usable == .integer(Int64((rows + 49) / 50)))
    }
}
