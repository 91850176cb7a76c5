import Foundation

/// Writes the exports a reader browses without running anything (notebooks-export/):
/// `report.ipynb`, `report.html` and `report.md` of one scan.
public enum ReportExporter {
    /// Renders the report of `scanID` (newest when nil) of `databasePath` into `directory`
    /// (created when missing). `notebookDatabase` is the path the notebook's cells open,
    /// relative to the notebook, e.g. `../demo.sqlite`. Returns the files written.
    @discardableResult
    public static func export(databasePath: String, scanID: Int64? = nil, directory: String,
                              notebookDatabase: String) throws -> [String] {
        let database = try ReportDatabase(path: databasePath)
        let report = try ReportBuilder.report(database, scanID: scanID)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for format in [ReportFormat.ipynb, .html, .md] {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("report.\(format.fileExtension)").path
            try OutputFile.write(format.render(report, database: notebookDatabase), to: path, protecting: [databasePath])
            written.append(path)
        }
        return written
    }
}
