import GRDB

extension ResultStore {
    /// Stored rows of a scan whose primary finding is an error (for resumed progress).
    public func errorCount(scanID: Int64) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results WHERE scan_id = ? AND error_code IS NOT NULL",
                             arguments: [scanID]) ?? 0
        }
    }
}
