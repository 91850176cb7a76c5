import Foundation
import GRDB

extension ReportBuilder {
    /// The series report of every scan in `database` (`report --series`): one row per
    /// finished scan in time order (`SeriesSQL`), all sections or only `sections`. Scans left
    /// out because they are unfinished are named in the notice.
    public static func series(_ database: ReportDatabase, sections: [String]? = nil) throws -> Report {
        _ = try database.scanID(nil) // a database without scans is refused here, in plain words
        let specs = try sections.map { wanted in
            try wanted.map { name in
                guard let spec = SeriesSQL.sections.first(where: { $0.id == name }) else {
                    throw ReportError.unknownSectionIn(name, choices: SeriesSQL.sectionIDs)
                }
                return spec
            }
        } ?? SeriesSQL.sections
        let (tables, points, unfinished) = try database.queue.read { db in
            let tables = try specs.map { try database.run($0, db, arguments: [:]) }
            let points = try Int.fetchOne(db, sql: "WITH \(SeriesSQL.seriesScans) SELECT count(*) FROM series") ?? 0
            let unfinished = try Int64.fetchAll(db, sql: "SELECT id FROM scans WHERE finished_at IS NULL ORDER BY id")
            return (tables, points, unfinished)
        }
        let notices = try unfinished.map { try seriesNotice(ScanProgress.read(database, $0)) }
        return Report(kind: "series", title: "MTA-STS and TLS-RPT adoption over time: \(points) scan\(points == 1 ? "" : "s")",
                      parameters: [:], sections: tables, notice: notices.isEmpty ? nil : notices.joined(separator: " "))
    }

    /// One sentence for an unfinished scan the series leaves out.
    static func seriesNotice(_ progress: ScanProgress) -> String {
        if progress.running {
            return "Scan \(progress.scanID) is running (\(progress.stored) entries stored so far) and is not in the series "
                + "until it finishes."
        }
        let of = progress.total.map { "of \($0) entries" } ?? "of a list not yet read to its end"
        return "Unfinished scan \(progress.scanID) (\(progress.stored) entries stored \(of)) is not in the series; "
            + "resume it with: \(progress.resumeCommand)"
    }
}
