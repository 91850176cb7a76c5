import ArgumentParser
import Foundation
import STSReport

/// `stsscan report`: adoption tables of one stored scan, in six formats.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report MTA-STS and TLS-RPT adoption of a stored scan (or of every scan over time: --series).",
        discussion: """
            Every section is one SQL query over the results view (see docs/database.md). \
            Sections: \(ReportSQL.sectionIDs.joined(separator: ", ")).

            --export DIR writes report.ipynb, report.html and report.md into DIR at once.

            --series reports every scan of the database instead, one row per finished scan in \
            time order (adoption, modes, enforce share, with line charts): the longitudinal \
            figures of a repeated survey. Sections: \(SeriesSQL.sectionIDs.joined(separator: ", ")). \
            With --export it writes series.ipynb, series.html and series.md.
            """)

    @Option(help: "The scan database.")
    var db: String

    @Option(help: "The scan to report (default: the newest).")
    var scan: Int64?

    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(help: "Only these sections (repeatable), in the order given.")
    var section: [String] = []

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @Option(help: "Write report.ipynb, report.html and report.md into this directory.")
    var export: String?

    @Option(help: "Database path the notebook's cells open (default: --db, relative to the notebook).")
    var notebookDb: String?

    @Flag(help: "Report every finished scan of the database over time instead of one scan.")
    var series = false

    func validate() throws {
        let sectionIDs = series ? SeriesSQL.sectionIDs : ReportSQL.sectionIDs
        for name in section where !sectionIDs.contains(name) {
            let close = Closest.match(name, in: sectionIDs).map { " (did you mean \($0)?)" } ?? ""
            throw ValidationError("unknown section \(name)\(close); \(series ? "--series sections" : "sections"): "
                                  + sectionIDs.joined(separator: ", "))
        }
        if series, let scan {
            throw ValidationError("--series reports every scan of the database; drop --scan \(scan) "
                                  + "(or drop --series for the report of scan \(scan))")
        }
        if export != nil, out != nil || !section.isEmpty {
            throw ValidationError("--export writes whole reports; use it without --out and --section")
        }
    }

    func run() throws {
        try ReportOutput.failing {
            if let export {
                let notebookPath = notebookDb ?? RelativePath.from(directory: export, to: db)
                for path in try ReportExporter.export(databasePath: db, scanID: scan, directory: export,
                                                      notebookDatabase: notebookPath, series: series) {
                    print(path)
                }
                return
            }
            let database = try ReportDatabase(path: db)
            let report = series
                ? try ReportBuilder.series(database, sections: section.isEmpty ? nil : section)
                : try ReportBuilder.report(database, scanID: scan, sections: section.isEmpty ? nil : section)
            ReportOutput.note(report)
            let notebookPath = notebookDb ?? (out.map { RelativePath.from(directory: URL(fileURLWithPath: $0)
                .deletingLastPathComponent().path, to: db) } ?? db)
            try ReportOutput.write(format.render(report, database: notebookPath, width: TerminalColumns.current(writingTo: out)),
                                   to: out, protecting: [db])
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
