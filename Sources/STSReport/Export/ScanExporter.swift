import GRDB

/// `stsscan export`: every stored entry of one scan, ascending by position, as JSON lines or
/// CSV. Reads pages of `pageSize` positions, so memory does not grow with the scan.
public enum ScanExporter {
    /// The export formats.
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv
    }

    public static let pageSize = 1000

    /// Throws `ReportError.notAScanDatabase` unless `database` has stsscan's tables and view.
    public static func check(_ database: ReportDatabase) throws {
        try database.queue.read { db in try ScanRowReader.checkSchema(db, path: database.path) }
    }

    /// Writes scan `scanID` (the newest when nil) of `database` to `sink` and commits it; returns the
    /// scan's id, the number of entries written and whether the scan is finished (an
    /// unfinished one is exported as far as it is stored).
    @discardableResult
    public static func export(_ database: ReportDatabase, scanID requested: Int64?, format: Format,
                              to sink: ExportSink) throws -> (scanID: Int64, rows: Int, finished: Bool) {
        let scanID = try database.scanID(requested)
        let (reader, finished) = try database.queue.read { db in
            try ScanRowReader.checkSchema(db, path: database.path)
            let finished = try Bool.fetchOne(db, sql: "SELECT finished_at IS NOT NULL FROM scans WHERE id = ?",
                                             arguments: [scanID]) ?? false
            return (try ScanRowReader.of(db, scanID: scanID), finished)
        }
        if format == .csv { try sink.write(CSVRowEncoder.header) }
        var after: Int64 = -1
        var written = 0
        while true {
            // One read transaction per page: a scan writing meanwhile is not held up.
            let rows = try database.queue.read { db in
                try reader.rows(db, positions: try reader.positions(db, after: after, limit: pageSize))
            }
            guard let last = rows.last else { break }
            for row in rows {
                try sink.write(format == .csv ? CSVRowEncoder.record(row) : JSONLineEncoder.line(row))
            }
            written += rows.count
            after = last.position
        }
        try sink.commit()
        return (scanID, written, finished)
    }
}
