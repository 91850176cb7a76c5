import Foundation
import STSReport
import Testing

/// The notebook's cells must run the same SQL with Python's sqlite3 and get the same
/// answers as stsscan. Runs the SQL of every code cell through `python3` (standard library
/// only, so pandas is not needed) and compares the rows with the Swift report's.
@Suite struct NotebookPythonTests {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)

    @Test(.enabled(if: python != nil, "python3 not installed"))
    func notebookSQLGivesTheSameRowsInPython() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1)
        let notebook = fixture.directory.appendingPathComponent("report.ipynb")
        try ReportFormat.ipynb.render(report, database: "scan.sqlite").write(to: notebook, atomically: true, encoding: .utf8)

        // Executes each cell's `sql = r"""..."""` with the setup cell's parameters; prints JSON rows.
        let script = """
            import json, os, re, sqlite3, sys
            nb = json.load(open(sys.argv[1]))
            code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
            setup = next(c for c in code if "\\nDB = " in "\\n" + c)
            params = {k.lower(): int(v) for k, v in re.findall(r"^([A-Z_]+) = (\\d+)$", setup, re.M)}
            db = re.search(r'^DB = (".*")', setup, re.M).group(1)
            con = sqlite3.connect("file:" + os.path.join(os.path.dirname(sys.argv[1]), json.loads(db)) + "?mode=ro", uri=True)
            exec(sys.argv[2])  # the notebook's own Public Suffix List loader
            load_public_suffixes(con)
            out = []
            for cell in code:
                match = re.search(r'sql = r\"\"\"\\n(.*)\\n\"\"\"', cell, re.S)
                if match is None:
                    continue
                out.append([list(row) for row in con.execute(match.group(1), params).fetchall()])
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = ["-c", script, notebook.path, NotebookPython.publicSuffixLoader]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let sections = try #require(try JSONSerialization.jsonObject(with: data) as? [[[Any]]])
        #expect(sections.count == report.sections.count)
        for (table, rows) in zip(report.sections, sections) {
            let python = rows.map { $0.map(Self.plain) }
            let swift = table.rows.map { $0.map { value in
                if case .real(let double) = value, double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
                return value.plain
            } }
            #expect(python == swift, "section \(table.id) differs in Python")
        }
    }

    /// A JSON value as `ReportValue.plain` prints it.
    static func plain(_ value: Any) -> String {
        switch value {
        case is NSNull: return ""
        case let text as String: return text
        case let number as NSNumber:
            // Integral numbers print the same whether SQLite returned an integer or a real.
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : ReportValue.real(double).plain
        default: return "\(value)"
        }
    }
}
