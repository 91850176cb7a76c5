import Foundation
import GRDB

/// How far a stored scan got: finished or not, entries stored, the list's size when known.
/// Reports of an unfinished scan say so before any figure (`notice`).
public struct ScanProgress: Sendable, Hashable {
    public let scanID: Int64
    public let finished: Bool
    /// Rows stored for the scan.
    public let stored: Int64
    /// Entries of the input list, nil while the list was not read to its end.
    public let total: Int64?
    /// The list the scan read (its path, or `-` for standard input).
    public let input: String?
    /// The database file.
    public let database: String

    /// The scan's row and stored-row count.
    static func read(_ database: ReportDatabase, _ id: Int64) throws -> ScanProgress {
        try database.queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT finished_at IS NOT NULL AS finished, domains_total, input_name,
                       (SELECT count(*) FROM domain_results WHERE scan_id = :id) AS stored
                FROM scans WHERE id = :id
                """, arguments: ["id": id])
            return ScanProgress(scanID: id, finished: row?["finished"] ?? true, stored: row?["stored"] ?? 0,
                                total: row?["domains_total"], input: row?["input_name"], database: database.path)
        }
    }

    /// One sentence for an unfinished scan, nil for a finished one.
    public var notice: String? {
        guard !finished else { return nil }
        let of = total.map { "of \($0) entries in the list" } ?? "of a list not yet read to its end (total unknown)"
        let list = input.map { $0 == "-" ? "LIST" : Self.shellWord($0) } ?? "LIST"
        return "Unfinished scan \(scanID): \(stored) entries stored \(of), not finished; the figures cover "
            + "only those. Resume it with: stsscan scan \(list) --db \(Self.shellWord(database)) --resume"
    }

    /// `text` as one shell word: quoted when it holds anything but safe characters.
    static func shellWord(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
        if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
