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

extension ResultStore {
    /// Tables holding a scan's per-domain rows.
    static let perDomainTables = ["findings", "mx_hosts", "policy_mx", "raw_records", "policy_bodies", "domain_results"]

    /// Deletes a scan that has no stored row (one that failed before its first result), so
    /// it never shows as an unfinished scan. Returns whether it was deleted.
    @discardableResult
    public func discardScanIfEmpty(scanID: Int64) throws -> Bool {
        try writing("discarding an empty scan in") { db in
            try db.execute(sql: """
                DELETE FROM scans WHERE id = ? AND finished_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM domain_results WHERE scan_id = ?)
                """, arguments: [scanID, scanID])
            return db.changesCount > 0
        }
    }

    /// Deletes an unfinished scan and its rows (a scan stopped because its resolver never
    /// answered: it holds nothing but DNS errors).
    public func discardScan(scanID: Int64) throws {
        try writing("discarding a scan in") { db in
            guard try Bool.fetchOne(db, sql: "SELECT finished_at IS NULL FROM scans WHERE id = ?", arguments: [scanID]) == true
            else { return }
            for table in Self.perDomainTables {
                try db.execute(sql: "DELETE FROM \(table) WHERE scan_id = ?", arguments: [scanID])
            }
            try db.execute(sql: "DELETE FROM scans WHERE id = ?", arguments: [scanID])
        }
    }
}
