import Foundation
import GRDB
import STSReport
import Testing

/// The series report (`report --series`): which scans are points, counts checked against an
/// independent count in Swift, every format (golden files), the line charts, the notebook.
@Suite struct SeriesTests {
    typealias Scan = SeriesDatabase.Scan

    /// Scans 1, 2: the same list; 3: a shard of that list file (left out); 4: another list,
    /// no MX probes; 5: unfinished (left out); 6: a lone shard of a third list (a point).
    static let scans = [
        Scan(rows: 3000, every: 50, enforce: 3, tlsrpt: 40, day: 1),
        Scan(rows: 3000, every: 45, enforce: 4, tlsrpt: 35, day: 31),
        Scan(rows: 1500, every: 45, enforce: 4, tlsrpt: 35, day: 33, shard: "0/2"),
        Scan(rows: 2000, every: 30, enforce: 5, tlsrpt: 20, day: 62, input: "other.csv", sha: "ef", probed: false),
        Scan(rows: 900, every: 20, enforce: 6, tlsrpt: 10, day: 92, finished: false),
        Scan(rows: 1200, every: 25, enforce: 6, tlsrpt: 15, day: 123, input: "sample.csv", sha: "cd", shard: "1/4"),
    ]

    static func temporaryPath() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsseries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("series.sqlite").path)
    }

    @Test func pointsAreFinishedScansWithoutShardsOfAMergedList() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SeriesDatabase.fill(path: path, scans: Self.scans)
        let report = try ReportBuilder.series(ReportDatabase(path: path))
        let status = try #require(report.section("series_scans"))
        #expect(status.rows.map { $0[0] } == (1...6).map { .integer($0) })
        let inSeries = status.rows.map { $0[status.columns.firstIndex(of: "in_series")!].plain }
        #expect(inSeries == ["yes", "yes", "no: shard, counted in whole-list scan 1", "yes", "no: unfinished", "yes"])
        let adoption = try #require(report.section("series_adoption"))
        #expect(adoption.rows.map { $0[0] } == [.integer(1), .integer(2), .integer(4), .integer(6)])
        let change = adoption.columns.firstIndex(of: "list_change")!
        // Every point says how its list relates to the previous one: never an empty cell.
        #expect(adoption.rows.map { $0[change] } == [.text("first point"), .text("same list"), .text("different list"),
                                                     .text("different list")])
        #expect(report.title == "MTA-STS and TLS-RPT adoption over time: 4 scans")
        let notice = try #require(report.notice)
        #expect(notice.contains("Unfinished scan 5 (900 entries stored of a list not yet read to its end) is not in the series"))
    }

    /// Every count and rate of series_adoption and series_modes equals a count made in Swift
    /// over the raw rows.
    @Test func countsMatchAnIndependentCount() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SeriesDatabase.fill(path: path, scans: Self.scans)
        let database = try ReportDatabase(path: path)
        let report = try ReportBuilder.series(database)

        struct Tally { var scanned = 0, mx = 0, record = 0, valid = 0, enforce = 0, testing = 0, none = 0, rpt = 0, probed = 0, ok = 0 }
        var tallies: [Int64: Tally] = [:]
        try database.queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT scan_id, mx_status, sts_record, policy_status, mode, tlsrpt_record, delivery FROM domain_results
                """)
            while let row = try rows.next() {
                var t = tallies[row[0], default: Tally()]
                let mx = (row[1] as String) == "ok"
                let valid = mx && (row[3] as String?) == "valid"
                let mode: String? = row[4]
                let delivery: String? = row[6]
                t.scanned += 1
                t.mx += mx ? 1 : 0
                t.record += mx && ["valid", "invalid"].contains(row[2] as String) ? 1 : 0
                t.valid += valid ? 1 : 0
                t.enforce += valid && mode == "enforce" ? 1 : 0
                t.testing += valid && mode == "testing" ? 1 : 0
                t.none += valid && mode == "none" ? 1 : 0
                t.rpt += mx && (row[5] as String) == "valid" ? 1 : 0
                t.probed += valid && delivery != nil ? 1 : 0
                t.ok += valid && delivery == "ok" ? 1 : 0
                tallies[row[0]] = t
            }
        }
        func rate(_ part: Int, _ whole: Int) -> ReportValue {
            whole == 0 ? .null : .real((100.0 * Double(part) / Double(whole) * 100).rounded() / 100)
        }
        func same(_ actual: ReportValue, _ expected: ReportValue) -> Bool {
            if case .real(let a) = actual, case .real(let b) = expected { return abs(a - b) < 1e-9 }
            if case .integer(let a) = actual, case .real(let b) = expected { return abs(Double(a) - b) < 1e-9 }
            return actual == expected
        }
        let adoption = try #require(report.section("series_adoption"))
        let modes = try #require(report.section("series_modes"))
        #expect(adoption.rows.count == 4 && modes.rows.count == 4)
        for (row, modeRow) in zip(adoption.rows, modes.rows) {
            guard case .integer(let id) = row[0] else { Issue.record("scan_id \(row[0])"); continue }
            let t = try #require(tallies[id])
            let value = { (name: String) in row[adoption.columns.firstIndex(of: name)!] }
            let mode = { (name: String) in modeRow[modes.columns.firstIndex(of: name)!] }
            #expect(value("domains_scanned") == .integer(Int64(t.scanned)))
            #expect(value("with_mx") == .integer(Int64(t.mx)))
            #expect(value("sts_record") == .integer(Int64(t.record)))
            #expect(value("valid_policy") == .integer(Int64(t.valid)))
            #expect(value("tlsrpt_valid") == .integer(Int64(t.rpt)))
            #expect(same(value("sts_record_pct_of_mx"), rate(t.record, t.mx)), "scan \(id)")
            #expect(same(value("valid_policy_pct_of_mx"), rate(t.valid, t.mx)), "scan \(id)")
            #expect(same(value("tlsrpt_valid_pct_of_mx"), rate(t.rpt, t.mx)), "scan \(id)")
            #expect(mode("valid_policy") == .integer(Int64(t.valid)))
            #expect(mode("enforce") == .integer(Int64(t.enforce)) && mode("testing") == .integer(Int64(t.testing))
                    && mode("none") == .integer(Int64(t.none)), "scan \(id)")
            #expect(same(mode("enforce_pct_of_valid"), rate(t.enforce, t.valid)), "scan \(id)")
            #expect(same(mode("none_pct_of_valid"), rate(t.none, t.valid)), "scan \(id)")
            #expect(mode("delivery_probed") == .integer(Int64(t.probed)))
            #expect(same(mode("delivery_ok_pct_of_probed"), rate(t.ok, t.probed)), "scan \(id)")
        }
        // The enforce share grows with the synthetic `enforce` parameter, and scan 4 ran without probes.
        let enforceShare = modes.rows.compactMap { $0[modes.columns.firstIndex(of: "enforce_pct_of_valid")!].number }
        #expect(enforceShare == enforceShare.sorted() && enforceShare.count == 4)
        #expect(modes.rows[2][modes.columns.firstIndex(of: "delivery_ok_pct_of_probed")!] == .null)
    }

    @Test(arguments: ReportFormat.allCases)
    func seriesFormat(_ format: ReportFormat) throws {
        let fixture = try SeriesDatabase.makeFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.series(ReportDatabase(path: fixture.path))
        // The notice names the database's temporary path in its resume command.
        let output = format.render(report, database: "scan.sqlite")
            .replacingOccurrences(of: fixture.directory.path, with: "/tmp/FIXTURE")
            .replacingOccurrences(of: fixture.directory.path.replacingOccurrences(of: "/", with: "\\/"), with: "/tmp/FIXTURE")
        try Golden.check("series.\(format.fileExtension)", output)
    }

    @Test func onlyUnfinishedScansGiveNoPointsAndSaySo() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try SeriesDatabase.fill(path: path, scans: [Scan(rows: 100, every: 10, enforce: 3, tlsrpt: 10, day: 1, finished: false)])
        let report = try ReportBuilder.series(ReportDatabase(path: path))
        #expect(report.title == "MTA-STS and TLS-RPT adoption over time: 0 scans")
        #expect(report.section("series_adoption")?.rows.isEmpty == true)
        #expect(report.section("series_scans")?.rows.first?.last == .text("not a point"))
        #expect(report.notice?.contains("Unfinished scan 1 (100 entries stored") == true)
        for format in ReportFormat.allCases {
            let output = format.render(report)
            #expect(output.contains("Unfinished scan 1"), "\(format)")
            #expect(!output.contains("<svg"), "\(format)")
        }
    }

    @Test func onlyTheSectionsAsked() throws {
        let fixture = try SeriesDatabase.makeFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        let report = try ReportBuilder.series(database, sections: ["series_modes"])
        #expect(report.sections.map(\.id) == ["series_modes"])
        #expect(throws: ReportError.unknownSectionIn("funnel", choices: SeriesSQL.sectionIDs)) { try ReportBuilder.series(database, sections: ["funnel"]) }
    }

    @Test func htmlIsSelfContainedWithLineCharts() throws {
        let fixture = try SeriesDatabase.makeFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.series(ReportDatabase(path: fixture.path))
        let html = ReportFormat.html.render(report)
        for forbidden in ["<script", "src=", "href=\"http", "url(", "@import"] { #expect(!html.contains(forbidden), "\(forbidden)") }
        #expect(html.contains(">% of domains with MX</text>"))
        #expect(html.contains(">% of valid policies (domains with MX)</text>"))
        #expect(html.components(separatedBy: "<svg ").count == 4)
        // The other list's scan is marked on the adoption chart.
        #expect(html.contains("Dotted vertical lines: the input list changed (scan 4: different list)."))
    }

    /// 12 monthly scans of `STSREPORT_SERIES_BENCH_ROWS` rows each (default 20,000;
    /// STSREPORT_SERIES_BENCH_SCANS changes the count, STSREPORT_SERIES_BENCH_DB=FILE keeps the
    /// database): the series report's time, printed (`scripts/bench-report.sh` style), not asserted.
    @Test func seriesOverTwelveSyntheticScans() throws {
        let environment = ProcessInfo.processInfo.environment
        let rows = environment["STSREPORT_SERIES_BENCH_ROWS"].flatMap(Int.init) ?? 20_000
        let count = environment["STSREPORT_SERIES_BENCH_SCANS"].flatMap(Int.init) ?? 12
        let (directory, temporary) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = environment["STSREPORT_SERIES_BENCH_DB"] ?? temporary
        var start = Date()
        try SeriesDatabase.fill(path: path, scans: (0..<count).map {
            Scan(rows: rows, every: max(60 - 3 * $0 / 2, 5), enforce: 2 + $0 % 6, tlsrpt: max(50 - $0, 5), day: 1 + 30 * $0)
        })
        let fill = Date().timeIntervalSince(start)
        let database = try ReportDatabase(path: path)
        start = Date()
        let report = try ReportBuilder.series(database)
        let build = Date().timeIntervalSince(start)
        var timings: [String] = []
        for section in SeriesSQL.sectionIDs {
            let sectionStart = Date()
            _ = try ReportBuilder.series(database, sections: [section])
            timings.append("\(section) \(String(format: "%.2f", Date().timeIntervalSince(sectionStart)))s")
        }
        print("STSReport series benchmark: \(count) scans x \(rows) rows filled in \(String(format: "%.1f", fill)) s; "
              + "series report in \(String(format: "%.2f", build)) s (" + timings.joined(separator: ", ") + ")")
        let adoption = try #require(report.section("series_adoption"))
        #expect(adoption.rows.count == count)
        #expect(adoption.rows.allSatisfy { $0[adoption.columns.firstIndex(of: "domains_scanned")!] == .integer(Int64(rows)) })
    }

    @Test(.enabled(if: NotebookExecutionTests.jupyter != nil,
                   "no notebook venv: run scripts/notebook-venv.sh (or set STSSCAN_NOTEBOOK_VENV)"),
          .timeLimit(.minutes(5)))
    func seriesNotebookRuns() throws {
        let fixture = try SeriesDatabase.makeFixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.series(ReportDatabase(path: fixture.path))
        try ReportFormat.ipynb.render(report, database: "scan.sqlite")
            .write(to: fixture.directory.appendingPathComponent("series.ipynb"), atomically: true, encoding: .utf8)
        try NotebookExecutionTests.execute("series.ipynb", in: fixture.directory)
        let outputs = try NotebookExecutionTests.outputs(of: fixture.directory.appendingPathComponent("executed.ipynb"))
        #expect(!outputs.contains { $0["output_type"] as? String == "error" })
        let pictures = outputs.filter { ($0["data"] as? [String: Any])?["image/png"] != nil }
        #expect(pictures.count == 3, "adoption, modes, mode transitions")
        let tables = outputs.compactMap { (($0["data"] as? [String: Any])?["text/plain"] as? [String])?.joined() }
        #expect(tables.contains { $0.contains("other-list.csv") && $0.contains("different list") })
    }
}
