import GRDB

extension ResultStore {
    /// Marks every later occurrence of a domain listed more than once with an
    /// `input-duplicate` finding naming the first occurrence's position. Runs when a scan
    /// finishes: exact and with flat memory, where an in-scan "seen" set would grow with the
    /// list. Idempotent. Returns how many rows were marked.
    @discardableResult
    public func markDuplicates(scanID: Int64) throws -> Int {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail)
                SELECT d.scan_id, d.position,
                       (SELECT coalesce(max(f.seq), -1) + 1 FROM findings f
                        WHERE f.scan_id = d.scan_id AND f.position = d.position),
                       'input-duplicate', 'info', 'input', 'first listed at position ' || first.position
                FROM (SELECT domain, min(position) AS position FROM domain_results
                      WHERE scan_id = ?1 GROUP BY domain HAVING count(*) > 1) AS first
                JOIN domain_results d ON d.scan_id = ?1 AND d.domain = first.domain AND d.position > first.position
                WHERE NOT EXISTS (SELECT 1 FROM findings x WHERE x.scan_id = d.scan_id AND x.position = d.position
                                  AND x.code = 'input-duplicate')
                """, arguments: [scanID])
            return db.changesCount
        }
    }
}
