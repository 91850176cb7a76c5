import Foundation
@testable import STSReport
import STSStore
import Testing

/// Reports say what a scan is: an unfinished scan is announced before any figure (stored of
/// how many, how to resume), never as 100% of an unknown list; `diff` refuses what it cannot
/// compare; exports keep every digit; unreadable files are explained with their path.
@Suite struct HonestReportTests {
    /// A database whose only scan was begun and got `rows` rows, but never finished.
    static func unfinished(rows: Int) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stshonest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("partial scan #1.sqlite").path
        let store = try ResultStore(path: path)
        let id = try store.beginScan(FixtureDatabase.metadata(1, input: "/data/top list.csv"))
        try store.write(scanID: id, Array(FixtureDatabase.firstScan().prefix(rows)))
        return (directory, path)
    }

    @Test func unfinishedScanSaysSoOnTheFirstLineOfEveryFormat() throws {
        let (directory, path) = try Self.unfinished(rows: 5)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: path))
        let notice = try #require(report.notice)
        #expect(notice.hasPrefix("Unfinished scan 1: 5 entries stored of a list not yet read to its end"))
        #expect(notice.contains("not finished"))
        #expect(notice.contains("stsscan scan '/data/top list.csv' --db '\(path)' --resume"))
        let firstLines = ReportFormat.allCases.map { format in
            (format, format.render(report).split(separator: "\n").first.map(String.init) ?? "")
        }
        for (format, line) in firstLines where ![.html, .ipynb, .json].contains(format) {
            #expect(line.contains("Unfinished scan 1"), "\(format): \(line)")
        }
        #expect(ReportFormat.json.render(report).hasPrefix("{\n  \"notice\": \"Unfinished scan 1"))
        #expect(ReportFormat.html.render(report).contains("<body>\n<p class=\"notice\"><strong>Note:</strong> Unfinished scan 1"))
        let notebook = ReportFormat.ipynb.render(report)
        let cells = try #require(try JSONSerialization.jsonObject(with: Data(notebook.utf8)) as? [String: Any])["cells"] as? [[String: Any]]
        #expect(((cells?.first?["source"] as? [String])?.joined() ?? "").contains("Unfinished scan 1"))
        // The list's size is unknown: no step is a percent of it (no "100%" of an unknown total).
        let listFunnel = try #require(report.section("list_funnel"))
        #expect(listFunnel.rows.allSatisfy { $0[2] == .null })
        #expect(report.section("funnel")?.rows.allSatisfy { $0[3] == .null } == true)
    }

    @Test func finishedScanHasNoNotice() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1)
        #expect(report.notice == nil)
        #expect(ReportFormat.text.render(report).hasPrefix("MTA-STS and TLS-RPT adoption: scan 1\n"))
    }

    @Test func diffRefusesOneScanAndReversedOrder() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        #expect(throws: ReportError.fromAfterTo(2, 1)) { try ReportBuilder.diff(database, from: 2, to: 1) }
        #expect(throws: ReportError.oneScan(fixture.path, 2)) { try ReportBuilder.diff(database, from: 2, to: 2) }
        #expect(throws: ReportError.oneScan(fixture.path, 1)) { try ReportBuilder.diff(database, from: nil, to: 1) }
        #expect(ReportError.fromAfterTo(2, 1).description.contains("swap them (--from 1 --to 2)"))
        #expect(try ReportBuilder.diff(database, from: nil, to: nil).parameters == ["from_scan": 1, "to_scan": 2])
    }

    @Test func diffOfAnUnfinishedScanSaysSo() throws {
        let (directory, path) = try Self.unfinished(rows: 3)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let diff = try ReportBuilder.diff(ReportDatabase(path: fixture.path), from: 2, to: nil,
                                          other: ReportDatabase(path: path))
        #expect(diff.notice?.hasPrefix("Unfinished scan 1: 3 entries stored") == true)
        #expect(ReportFormat.text.render(diff).hasPrefix("NOTE: Unfinished scan 1"))
    }

    @Test func sqlExportsKeepEveryDigit() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        for (style, expected) in [(RowStreamRenderer.Style.csv, "a,b,c\r\n0.000123,0.3333333333333333,12345678.125\r\n"),
                                  (.json, "[\n  {\"a\": 0.000123, \"b\": 0.3333333333333333, \"c\": 12345678.125}\n]\n"),
                                  (.table, "       a                   b             c\n--------  ------------------  ------------\n0.000123  0.3333333333333333  12345678.125\n")] {
            var out = ""
            let renderer = RowStreamRenderer(style: style) { out += $0 }
            try UserQuery.stream(database, "SELECT 0.000123 AS a, 1.0/3 AS b, 12345678.125 AS c",
                                 columns: renderer.begin, row: renderer.row)
            try renderer.finish()
            #expect(out == expected, "\(style)")
        }
    }

    @Test func unreadableDatabasesAreExplainedWithTheirPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsbad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("notes.txt").path
        try String(repeating: "not a database\n", count: 100).write(toFile: text, atomically: true, encoding: .utf8)
        for (path, reason) in [(text, "it is not an SQLite database"), (directory.path, "it is a directory")] {
            do {
                _ = try ReportDatabase(path: path)
                Issue.record("\(path) opened")
            } catch let error as ReportError {
                #expect(error.description.hasPrefix("cannot read \(path): \(reason)"))
                #expect(!error.description.contains("PRAGMA") && !error.description.contains("SQLite error"))
            }
        }
    }

    /// A database on read-only media: the message names the WAL files SQLite must create.
    @Test func aReadOnlyFolderIsNamedAsTheCause() {
        let text = ReportDatabase.cannotOpen(path: "/media/cd/survey.sqlite", folderWritable: false, readable: true)
        #expect(text.contains("folder is read-only") && text.contains("survey.sqlite-wal") && text.contains("writable folder"))
        #expect(!text.contains("permissions?"))
        #expect(ReportDatabase.cannotOpen(path: "x.sqlite", folderWritable: true, readable: false).contains("may not read it"))
        #expect(ReportDatabase.folder(of: "x.sqlite") != "")
    }
}
