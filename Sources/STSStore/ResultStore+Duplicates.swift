import Foundation
import GRDB
import GRDBSQLite

extension ResultStore {
    /// Rows marked per write transaction (and between progress reports).
    static let duplicateChunk = 50_000

    /// Marks every later occurrence of a domain listed more than once with an
    /// `input-duplicate` finding naming the first occurrence's position. Runs when a scan
    /// finishes: exact and with flat memory, where an in-scan "seen" set would grow with the
    /// list. Idempotent. Returns how many rows were marked.
    ///
    /// n log n: one sort of the scan's rows by domain (a window over `domain`) finds every
    /// later occurrence with its first position, into a temporary table; the findings are
    /// then inserted in chunks by primary key. `progress(marked, total)` is called after each
    /// chunk; `shouldStop` is polled while SQLite sorts and between chunks, and stopping
    /// throws `CancellationError` (what is marked stays marked; running it again completes).
    @discardableResult
    public func markDuplicates(scanID: Int64, progress: (_ marked: Int, _ total: Int) -> Void = { _, _ in },
                               shouldStop: @escaping @Sendable () -> Bool = { Task.isCancelled }) throws -> Int {
        do {
            return try markDuplicatesUnmapped(scanID: scanID, progress: progress, shouldStop: shouldStop)
        } catch let error as CancellationError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw CancellationError()
        } catch {
            throw StoreError.from(error, path: path, action: "marking duplicates in")
        }
    }

    private func markDuplicatesUnmapped(scanID: Int64, progress: (Int, Int) -> Void,
                                        shouldStop: @escaping @Sendable () -> Bool) throws -> Int {
        let total = try queue.inDatabase { db -> Int in
            try db.execute(sql: "DROP TABLE IF EXISTS temp.duplicate_marks")
            try db.execute(sql: "CREATE TEMP TABLE duplicate_marks(position INTEGER PRIMARY KEY, first INTEGER NOT NULL)")
            try StopCheck.while(db, shouldStop) {
                try db.execute(sql: """
                    INSERT INTO temp.duplicate_marks(position, first)
                    SELECT position, first FROM (
                        SELECT position, min(position) OVER (PARTITION BY domain) AS first
                        FROM domain_results WHERE scan_id = ?)
                    WHERE position > first
                    """, arguments: [scanID])
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.duplicate_marks") ?? 0
        }
        defer { try? queue.inDatabase { db in try db.execute(sql: "DROP TABLE IF EXISTS temp.duplicate_marks") } }
        var marked = 0, done = 0, after = -1
        progress(0, total)
        while done < total {
            if shouldStop() { throw CancellationError() }
            let (rows, inserted, last) = try queue.write { db -> (Int, Int, Int) in
                let last = try Int.fetchOne(db, sql: """
                    SELECT max(position) FROM (SELECT position FROM temp.duplicate_marks WHERE position > ?
                                               ORDER BY position LIMIT ?)
                    """, arguments: [after, Self.duplicateChunk]) ?? after
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.duplicate_marks WHERE position > ? AND position <= ?",
                                            arguments: [after, last]) ?? 0
                try db.execute(sql: """
                    INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail)
                    SELECT ?1, m.position,
                           (SELECT coalesce(max(f.seq), -1) + 1 FROM findings f WHERE f.scan_id = ?1 AND f.position = m.position),
                           'input-duplicate', 'info', 'input', 'first listed at position ' || m.first
                    FROM temp.duplicate_marks m
                    WHERE m.position > ?2 AND m.position <= ?3
                      AND NOT EXISTS (SELECT 1 FROM findings x WHERE x.scan_id = ?1 AND x.position = m.position
                                      AND x.code = 'input-duplicate')
                    """, arguments: [scanID, after, last])
                return (rows, db.changesCount, last)
            }
            guard rows > 0 else { break }
            marked += inserted
            done += rows
            after = last
            progress(done, total)
        }
        return marked
    }
}

/// Lets a long SQLite statement stop early: a progress handler polls `shouldStop` every few
/// thousand virtual-machine steps and interrupts the statement when it says so.
enum StopCheck {
    private final class Box {
        let shouldStop: @Sendable () -> Bool
        init(_ shouldStop: @escaping @Sendable () -> Bool) { self.shouldStop = shouldStop }
    }

    static func `while`<T>(_ db: Database, _ shouldStop: @escaping @Sendable () -> Bool, _ body: () throws -> T) throws -> T {
        guard let connection = db.sqliteConnection else { return try body() }
        let box = Unmanaged.passRetained(Box(shouldStop))
        sqlite3_progress_handler(connection, 10_000, { context in
            Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().shouldStop() ? 1 : 0
        }, box.toOpaque())
        defer {
            sqlite3_progress_handler(connection, 0, nil, nil)
            box.release()
        }
        return try body()
    }
}
