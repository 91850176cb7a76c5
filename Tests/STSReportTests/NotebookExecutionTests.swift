import Foundation
import STSReport
import Testing

/// The notebook run for real: `jupyter nbconvert --execute` in the venv of
/// scripts/notebook-venv.sh, next to a database whose folder and file names hold `#`, `?`,
/// `%` and spaces (characters a `file:` URI must escape). Every cell must run, and the
/// recomputed tables must be the scan's, not those of some other (new, empty) file.
@Suite struct NotebookExecutionTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// STSSCAN_NOTEBOOK_VENV, else the repository's .build/nbvenv.
    static let jupyter: String? = {
        let venv = ProcessInfo.processInfo.environment["STSSCAN_NOTEBOOK_VENV"]
            ?? repository.appendingPathComponent(".build/nbvenv").path
        let path = venv + "/bin/jupyter"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    @Test(.enabled(if: jupyter != nil, "no notebook venv: run scripts/notebook-venv.sh (or set STSSCAN_NOTEBOOK_VENV)"),
          .timeLimit(.minutes(5)))
    func notebookRunsAgainstADatabaseWithURICharactersInItsPath() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let folder = fixture.directory.appendingPathComponent("a #b?c%d e", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("scan #1?x=%41 y.sqlite")
        try FileManager.default.moveItem(atPath: fixture.path, toPath: database.path)
        let report = try ReportBuilder.report(ReportDatabase(path: database.path), scanID: 1)
        try ReportFormat.ipynb.render(report, database: database.lastPathComponent)
            .write(to: folder.appendingPathComponent("report.ipynb"), atomically: true, encoding: .utf8)
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))

        try Self.execute("report.ipynb", in: folder)

        // No file was created by opening a wrong path (the old bug: `#` cut the name short).
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        let created = after.subtracting(before).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        #expect(created == ["executed.ipynb"])
        let outputs = try Self.outputs(of: folder.appendingPathComponent("executed.ipynb"))
        #expect(!outputs.contains { $0["output_type"] as? String == "error" })
        // The recomputed funnel is the scan's: its first step counts the fixture's record holders.
        let tables = outputs.compactMap { (($0["data"] as? [String: Any])?["text/plain"] as? [String])?.joined() }
        let funnel = report.section("funnel")!.rows[0]
        #expect(tables.contains { $0.contains("with an _mta-sts record") && $0.contains(funnel[1].plain) })
        // matplotlib drew every chart the report has.
        let pictures = outputs.filter { ($0["data"] as? [String: Any])?["image/png"] != nil }
        #expect(pictures.count == report.sections.filter { !$0.bars.isEmpty || !$0.cdfSteps.isEmpty }.count)
    }

    /// Runs `jupyter nbconvert --execute` on `notebook` in `folder`, writing `executed.ipynb`.
    static func execute(_ notebook: String, in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: jupyter!)
        process.arguments = ["nbconvert", "--execute", "--to", "notebook", "--output", "executed.ipynb", notebook]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "nbconvert failed: \(message.suffix(3000))")
    }

    /// The outputs of an executed notebook's code cells, in order.
    static func outputs(of executed: URL) throws -> [[String: Any]] {
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: executed))
        let cells = try #require((notebook as? [String: Any])?["cells"] as? [[String: Any]])
        return cells.filter { $0["cell_type"] as? String == "code" }.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
    }
}
