import ArgumentParser
import Foundation
import STSReport

/// `stsscan export`: one scan's entries as JSON lines or CSV, streamed from the database.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one scan's entries as JSON lines (one object per domain) or CSV.",
        discussion: """
            Ascending by position. JSON lines carry the results columns plus findings, MX hosts \
            (with their STARTTLS probe) and the policy's mx patterns: the lines `scan --jsonl` \
            streams. CSV carries the results columns plus the finding codes and MX hosts, each \
            joined with ';'. See docs/database.md.
            """)

    @Option(help: "The scan database.")
    var db: String

    @Option(help: ArgumentHelp("jsonl or csv.", valueName: "jsonl|csv"))
    var format: ScanExporter.Format = .jsonl

    @Option(help: "The scan to export (default: the newest).")
    var scan: Int64?

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func run() throws {
        try ReportOutput.failing {
            let database = try ReportDatabase(path: db)
            // Checked before the output is created: a wrong database or scan leaves no empty file.
            let scanID = try database.scanID(scan)
            try ScanExporter.check(database)
            let sink = try ExportSink(path: out, protecting: [db])
            let outcome = try ScanExporter.export(database, scanID: scanID, format: format, to: sink)
            if !outcome.finished {
                let progress = try ScanProgress.read(database, scanID)
                let next = progress.running
                    ? "it is running (another stsscan process holds the database): export again once it has finished"
                    : "finish it with `\(progress.resumeCommand)`, then export again"
                FileHandle.standardError.write(Data(("stsscan: note: scan \(scanID) is unfinished: \(outcome.rows) entries written "
                    + "(those stored so far); \(next)\n").utf8))
            }
        }
    }
}

extension ScanExporter.Format: ExpressibleByArgument {}
