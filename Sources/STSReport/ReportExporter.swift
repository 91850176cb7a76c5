import Foundation

/// Writes the exports a reader browses without running anything (notebooks-export/):
/// `report.ipynb`, `report.html` and `report.md` of one scan (or `series.*` of every scan).
public enum ReportExporter {
    /// Renders the report of `scanID` (newest when nil) of `databasePath` into `directory`
    /// (created when missing); with `series`, the series report of every scan into
    /// `series.ipynb`, `series.html` and `series.md`. `notebookDatabase` is the path the
    /// notebook's cells open, relative to the notebook, e.g. `../demo.sqlite`. Returns the
    /// files written.
    @discardableResult
    public static func export(databasePath: String, scanID: Int64? = nil, directory: String,
                              notebookDatabase: String, series: Bool = false) throws -> [String] {
        let database = try ReportDatabase(path: databasePath)
        let report = series ? try ReportBuilder.series(database) : try ReportBuilder.report(database, scanID: scanID)
        try makeFolder(directory)
        // All three are written whole before any replaces its old version: a full disk
        // leaves the previous export as it was, not a mix.
        var files: [ReplacementFile] = []
        for format in [ReportFormat.ipynb, .html, .md] {
            let name = (series ? "series." : "report.") + format.fileExtension
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            let file = try OutputFile.replacement(for: path, protecting: [databasePath])
            try file.write(Array(format.render(report, database: notebookDatabase).utf8)[...])
            files.append(file)
        }
        for file in files { try file.commit() }
        return files.map(\.path)
    }

    /// Creates `directory` (and its parents) unless it is a folder already; failures in plain words.
    static func makeFolder(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReportError.output(directory, "it is a file, not a folder; give a folder for the exported reports")
            }
            return
        }
        // The nearest existing ancestor says why a folder cannot be made there.
        var ancestor = URL(fileURLWithPath: directory).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw ReportError.output(directory, "\(ancestor.path) is a file, not a folder; give a folder path")
        }
        guard FileManager.default.isWritableFile(atPath: ancestor.path) else {
            throw ReportError.output(directory, "permission denied in \(ancestor.path); give a folder you can write")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError.output(directory, "the folder could not be created; give a folder you can write")
        }
    }
}
