import Foundation
import STSReport
import Testing

/// Hostile strings in every field that reaches a report (domain, details, CNAME targets,
/// rua, MX hosts, scan metadata): each format must neutralise them for its reader.
@Suite struct EscapingTests {
    let report: Report

    init() throws {
        let fixture = try FixtureDatabase.make(hostile: true)
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        report = try ReportBuilder.report(ReportDatabase(path: fixture.path))
    }

    @Test func hostileStringsReachTheReport() throws {
        // Otherwise the tests below would pass vacuously.
        for id in ["metadata", "errors", "would_break_examples", "providers", "by_tld"] {
            let cells = report.section(id)!.rows.flatMap { $0 }.map(\.plain).joined(separator: "\u{0}")
            #expect(cells.contains("<script>") || cells.contains("=cmd|"), "section \(id) lost the hostile strings")
        }
    }

    @Test func textHasNoControlCharacters() {
        let text = ReportFormat.text.render(report)
        let controls = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202e}"
        }
        #expect(controls.isEmpty)
        #expect(text.contains("\\x1b[31mred"))
        #expect(!text.contains("line1\nline2"))
        #expect(text.contains("line1\\nline2\\r"))
    }

    @Test func htmlHasNoMarkupFromTheData() {
        for html in [ReportFormat.html.render(report), SVGBarChart.render([ChartBar(label: "<script>", value: 1, group: "<i>")],
                                                                       chart: ReportChart(label: "l", value: "v", metric: "<u>"), title: "<b>")] {
            #expect(!html.contains("<script"))
            #expect(!html.contains("<b>"))
            #expect(!html.contains("<i>") && !html.contains("<u>"))
            #expect(!html.contains("\u{1b}"))
        }
        let html = ReportFormat.html.render(report)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;quoted&quot;"))
    }

    @Test func markdownCellsKeepTheirColumns() {
        let markdown = ReportFormat.md.render(report)
        #expect(!markdown.contains("<script"))
        #expect(!markdown.contains("\u{1b}"))
        var tables = 0
        var columns = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { columns = 0; continue }
            let pipes = unescapedPipes(line)
            if columns == 0 { columns = pipes; tables += 1 }
            #expect(pipes == columns, "row breaks its table: \(line)")
        }
        #expect(tables == report.sections.count)
    }

    @Test func csvCellsAreNeverFormulas() throws {
        let csv = ReportFormat.csv.render(report)
        var cells = 0
        for table in csv.components(separatedBy: "\r\n\r\n") where !table.isEmpty {
            // Drop the "# id: title" line that precedes each table of a multi-section file.
            let body = table.hasPrefix("#") ? String(table[table.range(of: "\r\n")!.upperBound...]) : table
            let rows = try CSVReader.parse(body)
            let width = rows.first?.count ?? 0
            for row in rows {
                #expect(row.count == width, "row with \(row.count) cells in a table of \(width)")
                for cell in row {
                    cells += 1
                    if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                        #expect(Double(cell) != nil, "formula-like cell \(cell.debugDescription)")
                    }
                }
            }
        }
        #expect(cells > 100)
        #expect(csv.contains("'=cmd|' /C calc'!A0"))
        #expect(CSVEscaping.cell("-3+4") == "'-3+4")
        #expect(CSVEscaping.cell(.integer(-3)) == "-3")
        #expect(CSVEscaping.cell("\"quoted\", comma") == "\"\"\"quoted\"\", comma\"")
    }

    @Test func jsonKeepsEveryStringExactly() throws {
        let object = try JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8)) as? [String: Any]
        let sections = try #require(object?["sections"] as? [[String: Any]])
        let examples = try #require(sections.first { $0["id"] as? String == "would_break_examples" })
        let domains = (examples["rows"] as? [[String: Any]])?.compactMap { $0["domain"] as? String } ?? []
        #expect(Set(domains) == Set(FixtureDatabase.hostileStrings))
    }

    @Test func notebookIsValidJSONWithEscapedOutputs() throws {
        let text = ReportFormat.ipynb.render(report, database: "a \"b\".sqlite")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["nbformat"] as? Int == 4)
        let cells = try #require(object?["cells"] as? [[String: Any]])
        var htmlOutputs = 0
        for cell in cells {
            for output in cell["outputs"] as? [[String: Any]] ?? [] {
                let data = output["data"] as? [String: Any] ?? [:]
                for key in ["text/html", "image/svg+xml"] {
                    guard let lines = data[key] as? [String] else { continue }
                    htmlOutputs += 1
                    #expect(!lines.joined().contains("<script"))
                }
            }
        }
        #expect(htmlOutputs >= report.sections.count)
        #expect(text.contains(#"DB = \"a \\\"b\\\".sqlite\""#))
    }

    private func unescapedPipes(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "|" { count += 1 }
        }
        return count
    }
}

/// A strict RFC 4180 reader for the tests (quoted fields, doubled quotes, CRLF).
enum CSVReader {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if quoted {
                if scalar == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.unicodeScalars.append("\""); index = scalars.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty else { throw Malformed() }
                quoted = true
            case ",": row.append(field); field = ""
            case "\r":
                guard index < scalars.endIndex, scalars[index] == "\n" else { throw Malformed() }
                index = scalars.index(after: index)
                row.append(field); rows.append(row); row = []; field = ""
            case "\n": throw Malformed()
            default: field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted else { throw Malformed() }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
