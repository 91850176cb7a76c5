import Foundation
import GRDB
import STSReport
import STSStore
import Testing

@Suite struct QueryTests {
    @Test func sqlReturnsColumnsAndTypedValues() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        let report = try ReportBuilder.sql(database, """
            SELECT mode, count(*) AS n, avg(max_age) AS mean FROM results
            WHERE scan_id = 1 AND policy_status = 'valid' GROUP BY mode ORDER BY mode
            """)
        let table = report.sections[0]
        #expect(table.columns == ["mode", "n", "mean"])
        #expect(table.rows.first == [.text("enforce"), .integer(4), .real(8_343_000)])
        #expect(CSVRenderer.table(table).hasPrefix("mode,n,mean\r\nenforce,4,8343000\r\n"))
        #expect(JSONRenderer.rows(table).contains(#"{"mode": "enforce", "n": 4, "mean": 8343000.0}"#))
    }

    @Test func theDatabaseIsOpenedReadOnly() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        #expect(throws: ReportError.self) { try ReportBuilder.sql(database, "DELETE FROM domain_results") }
        do {
            _ = try ReportBuilder.sql(database, "DROP TABLE scans")
        } catch let error as ReportError {
            #expect(error.description.contains("readonly"))
        }
        let count = try ReportBuilder.sql(database, "SELECT count(*) FROM domain_results").sections[0].rows
        #expect(count == [[.integer(24)]])
    }

    @Test func sqlErrorsCarrySQLitesMessage() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        #expect(throws: ReportError.sql("no such table: missing_table")) {
            try ReportBuilder.sql(database, "SELECT * FROM missing_table")
        }
        #expect(throws: ReportError.noSuchScan(9)) { try ReportBuilder.report(database, scanID: 9) }
        #expect(throws: ReportError.noDatabase("/nonexistent/x.sqlite")) {
            try ReportDatabase(path: "/nonexistent/x.sqlite")
        }
    }

    @Test func newestScanIsTheDefault() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), sections: ["modes"])
        #expect(report.parameters == ["scan_id": 2])
        #expect(report.sections.map(\.id) == ["modes"])
    }

    /// The diff across two database files gives the same answer as within one.
    @Test func diffAcrossTwoDatabases() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let copy = fixture.directory.appendingPathComponent("copy.sqlite").path
        let database = try ReportDatabase(path: fixture.path)
        try database.queue.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        let within = try ReportBuilder.diff(database, from: 1, to: 2)
        let across = try ReportBuilder.diff(database, from: 1, to: 2, other: ReportDatabase(path: copy))
        #expect(within.sections.map(\.rows) == across.sections.map(\.rows))
        #expect(within.section("transitions")?.rows.filter { $0[1] == .text("mode-changed") }
            == [[.text("bravo.org"), .text("mode-changed"), .text("testing"), .text("enforce"), .null]])
    }

    /// Exports lose nothing: a real prints as the shortest text that reads back as the same double.
    @Test func realsPrintExactly() {
        #expect(ReportValue.real(83.333).plain == "83.333")
        #expect(ReportValue.real(50).plain == "50")
        #expect(ReportValue.real(0.000123).plain == "0.000123")
        #expect(ReportValue.real(1.0 / 3).plain == "0.3333333333333333")
        #expect(Double(ReportValue.real(1.0 / 3).plain) == 1.0 / 3)
        #expect(ReportValue.real(-1.5).plain == "-1.5")
        #expect(ReportValue.real(1e-20).plain == "1e-20")
        #expect(CSVEscaping.cell(.real(0.000123)) == "0.000123")
    }
}

@Suite struct EmptyScanTests {
    /// A scan that stored nothing yet (just begun): every section and format still renders.
    @Test func emptyScanRendersInEveryFormat() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsempty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.sqlite").path
        _ = try ResultStore(path: path).beginScan(FixtureDatabase.metadata(1))
        let report = try ReportBuilder.report(ReportDatabase(path: path))
        #expect(report.sections.count == ReportSQL.sections.filter { !$0.needsEarlierScan }.count)
        #expect(report.section("list_funnel")?.rows.first == [.text("list entries scanned"), .integer(0), .null])
        #expect(report.section("funnel")?.rows.first == [.text("with an _mta-sts record"), .integer(0), .null, .null, .integer(0)])
        for format in ReportFormat.allCases {
            #expect(!format.render(report).isEmpty)
        }
        #expect(throws: ReportError.oneScan(path, 1)) {
            try ReportBuilder.diff(ReportDatabase(path: path), from: nil, to: nil)
        }
    }
}
