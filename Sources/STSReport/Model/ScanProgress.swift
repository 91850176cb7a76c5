import Foundation
import GRDB
import STSStore

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
    /// The part of the list the scan covers (`K/N`), nil when unsharded.
    public var shard: String? = nil
    /// A scan holds the database's lock now and this is its newest unfinished scan: the scan
    /// is running, not stopped (`ScanLock.isHeld`).
    public var running: Bool = false
    /// Seconds since the scan started, for a running scan's rate.
    public var secondsRunning: Double? = nil
    /// Lines of the list file (an upper bound on its entries; divided by N for a shard), for a
    /// running scan, whose total is recorded only at its end. nil for standard input.
    public var listLines: Int64? = nil

    /// The scan's row and stored-row count.
    public static func read(_ database: ReportDatabase, _ id: Int64) throws -> ScanProgress {
        var progress = try database.queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT finished_at IS NOT NULL AS finished, domains_total, input_name, shard,
                       (julianday('now') - julianday(started_at)) * 86400.0 AS seconds,
                       id = (SELECT max(id) FROM scans WHERE finished_at IS NULL) AS newest_unfinished,
                       (SELECT count(*) FROM domain_results WHERE scan_id = :id) AS stored
                FROM scans WHERE id = :id
                """, arguments: ["id": id])
            var progress = ScanProgress(scanID: id, finished: row?["finished"] ?? true, stored: row?["stored"] ?? 0,
                                        total: row?["domains_total"], input: row?["input_name"], database: database.path)
            progress.shard = row?["shard"]
            progress.secondsRunning = row?["seconds"]
            progress.running = !progress.finished && (row?["newest_unfinished"] ?? false)
            return progress
        }
        if progress.running {
            progress.running = ScanLock.isHeld(databasePath: database.path)
        }
        if progress.running, let input = progress.input, input != "-" {
            let shards = progress.shard.flatMap { Int64($0.split(separator: "/").last ?? "") } ?? 1
            progress.listLines = Self.lineCount(input).map { ($0 + shards - 1) / max(1, shards) }
        }
        return progress
    }

    /// One sentence for an unfinished scan, nil for a finished one.
    public var notice: String? {
        guard !finished else { return nil }
        if running { return runningNotice }
        let of = total.map { "of \($0) entries in the list" } ?? "of a list not yet read to its end (total unknown)"
        return "Unfinished scan \(scanID): \(stored) entries stored \(of), not finished; the figures cover "
            + "only those. Resume it with: \(resumeCommand)"
    }

    /// A scan still running: its progress, and that every figure is partial.
    var runningNotice: String {
        var text = "Scan \(scanID) is running (another stsscan process holds '\(database)'): \(stored) entries stored so far"
        if let lines = listLines, lines > 0 {
            let percent = min(100, Double(stored) * 100 / Double(lines))
            text += String(format: " of about %lld (%.0f%%)", lines, percent)
        }
        if let seconds = secondsRunning, seconds >= 1 {
            text += String(format: " in %.0f s (%.0f domains/s)", seconds, Double(stored) / seconds)
        }
        return text + "; the figures are partial, covering only the entries stored so far. Run the report again "
            + "once the scan has finished."
    }

    /// The command that continues this scan: its options come from the scan's record
    /// (`scan --resume` takes them), only the list, database and shard are named.
    public var resumeCommand: String {
        let list = input.map { $0 == "-" ? "LIST" : Self.shellWord($0) } ?? "LIST"
        return "stsscan scan \(list) --db \(Self.shellWord(database))" + (shard.map { " --shard \($0)" } ?? "") + " --resume"
    }

    /// Newlines in a regular file (reads it once; nil when it cannot be read).
    static func lineCount(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var lines: Int64 = 0
        var last: UInt8 = 10
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { bytes in
                for byte in bytes where byte == 10 { lines += 1 }
            }
            last = chunk.last ?? last
        }
        return lines + (last == 10 ? 0 : 1)
    }

    /// `text` as one shell word: quoted when it holds anything but safe characters.
    static func shellWord(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%")
        if !text.isEmpty, text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
