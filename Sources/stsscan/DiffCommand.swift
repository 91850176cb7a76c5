import ArgumentParser
import Foundation
import STSReport

/// `stsscan diff`: what changed between two scans of one database, or of two databases.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two scans.",
        discussion: """
            The domains compared (in each scan, in both, undecided), then the transitions: counts \
            per kind and every domain's (adopted, dropped, policy-broken, policy-fixed, mode-changed, \
            max-age-changed, mx-changed, policy-changed-id-unchanged, id-changed-policy-unchanged, \
            delivery-changed: docs/transitions.md). Without --from/--to: the two newest scans of --db, or the newest \
            scan of each database with --other-db.
            """)

    @Option(help: "The scan database (holds the first scan).")
    var db: String

    @Option(help: "A second database holding the second scan.")
    var otherDb: String?

    @Option(help: "The first (older) scan id.")
    var from: Int64?

    @Option(help: "The second (newer) scan id.")
    var to: Int64?

    @Option(help: "Output format.")
    var format: DiffFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func run() throws {
        try ReportOutput.failing {
            let database = try ReportDatabase(path: db)
            let other = try otherDb.map { try ReportDatabase(path: $0) }
            let report = try ReportBuilder.diff(database, from: from, to: to, other: other)
            ReportOutput.note(report)
            try ReportOutput.write(format.reportFormat.render(report, width: TerminalColumns.current(writingTo: out)), to: out, protecting: [db] + (otherDb.map { [$0] } ?? []))
        }
    }
}

/// The formats `diff` writes (a notebook needs one scan's report: `report --format ipynb`).
enum DiffFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, csv, md, html

    var reportFormat: ReportFormat { ReportFormat(rawValue: rawValue)! }
}
