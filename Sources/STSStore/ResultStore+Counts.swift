import GRDB

extension ResultStore {
    /// Stored rows of a scan whose primary finding is an error (for resumed progress).
    public func errorCount(scanID: Int64) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results WHERE scan_id = ? AND error_code IS NOT NULL",
                             arguments: [scanID]) ?? 0
        }
    }

    /// The version of the SQLite library in use, recorded with each scan.
    public func sqliteVersion() throws -> String {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown" }
    }
}
