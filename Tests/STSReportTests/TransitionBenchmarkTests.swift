import Foundation
import GRDB
import STSReport
import STSStore
import Testing

/// Transition timing over two synthetic scans of the same list (`SyntheticDatabase`, then
/// a second scan copied from it by SQL, in reverse list order, with mode and max_age
/// changes and renumbered ids). Prints the time of `diff` and of the report's
/// `transitions` section; asserts the counts. Default 50,000 rows; STSREPORT_BENCH_ROWS=1000000
/// for the 1M x 1M figure in docs/transitions.md (STSREPORT_BENCH_DB=FILE keeps the database).
@Suite struct TransitionBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["STSSCAN_BENCHMARKS"] == "1", "a benchmark: scripts/bench-tests.sh runs it"))
    func transitionsOverTwoSyntheticScans() throws {
        let rows = ProcessInfo.processInfo.environment["STSREPORT_BENCH_ROWS"].flatMap(Int.init) ?? 50_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ststrans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = ProcessInfo.processInfo.environment["STSREPORT_BENCH_DB"] ?? directory.appendingPathComponent("bench.sqlite").path

        var start = Date()
        try SyntheticDatabase.fill(path: path, rows: rows)
        let store = try ResultStore(path: path)
        let second = try store.beginScan(FixtureDatabase.metadata(2, input: "synthetic-\(rows).csv"))
        try store.queue.write { db in
            try db.execute(sql: """
                INSERT INTO policy_mx(scan_id, position, seq, pattern)
                SELECT scan_id, position, 0, 'mx.' || domain FROM domain_results WHERE scan_id = 1 AND policy_status = 'valid';
                INSERT INTO domain_results(scan_id, position, rank, domain, input, mx_status, sts_record, sts_id,
                    sts_cname, policy_status, policy_host_cname, policy_address, http_status, mode, max_age, mx_coverage,
                    tlsrpt_record, tlsrpt_rua, error_code, error_detail, scanned_at, duration_ms, tld)
                SELECT :scan, :rows - 1 - position, rank, domain, input, mx_status, sts_record,
                       CASE WHEN position % 1300 = 0 THEN sts_id || 'b' ELSE sts_id END,
                       sts_cname, policy_status, policy_host_cname, policy_address, http_status,
                       CASE WHEN position % 700 = 0 AND mode = 'testing' THEN 'enforce' ELSE mode END,
                       CASE WHEN position % 900 = 0 AND max_age IS NOT NULL THEN max_age + 1 ELSE max_age END,
                       mx_coverage, tlsrpt_record, tlsrpt_rua, error_code, error_detail, scanned_at, duration_ms, tld
                FROM domain_results WHERE scan_id = 1;
                INSERT INTO policy_mx(scan_id, position, seq, pattern)
                SELECT scan_id, position, 0, 'MX.' || domain FROM domain_results WHERE scan_id = :scan AND policy_status = 'valid';
                """, arguments: ["scan": second, "rows": rows])
        }
        try store.finishScan(scanID: second, total: rows, inputSHA256: nil)
        let fill = Date().timeIntervalSince(start)

        let database = try ReportDatabase(path: path)
        start = Date()
        let diff = try ReportBuilder.diff(database, from: 1, to: 2)
        let diffSeconds = Date().timeIntervalSince(start)
        start = Date()
        let report = try ReportBuilder.report(database, scanID: 2, sections: ["transitions"])
        let sectionSeconds = Date().timeIntervalSince(start)
        print("STSReport transitions benchmark: 2 x \(rows) rows filled in \(String(format: "%.1f", fill)) s; "
              + "diff (all sections) \(String(format: "%.2f", diffSeconds)) s; "
              + "report section transitions \(String(format: "%.2f", sectionSeconds)) s")

        let working = "sts_record = 'valid' AND policy_status = 'valid' AND mx_status NOT IN ('timeout', 'servfail', 'error')"
        let expected = try database.queue.read { db in
            [
                "mode-changed": try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE scan_id = 1 AND \(working) AND position % 700 = 0 AND mode = 'testing'")!,
                "max-age-changed": try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE scan_id = 1 AND \(working) AND position % 900 = 0")!,
                "id-changed-policy-unchanged": try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM results WHERE scan_id = 1 AND \(working) AND position % 1300 = 0
                    AND NOT (position % 700 = 0 AND mode = 'testing') AND position % 900 <> 0
                    """)!,
            ]
        }
        for table in [try #require(diff.section("transition_counts")), try #require(report.section("transitions"))] {
            let column = table.columns.firstIndex(of: "kind")!
            for row in table.rows {
                guard case .text(let kind) = row[column], case .integer(let count) = row[column + 1] else { continue }
                #expect(Int(count) == expected[kind] ?? 0 || kind == "policy-changed-id-unchanged", "\(table.id) \(kind)")
            }
        }
        #expect(expected.values.allSatisfy { $0 > 0 })
    }
}
