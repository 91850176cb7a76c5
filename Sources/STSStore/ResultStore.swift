import Foundation
import GRDB
import GRDBSQLite
import STSCore

/// The scan database: opens (creating and migrating) a SQLite file in WAL mode and writes
/// scans and their per-domain results. One writer task calls it; GRDB's `DatabaseQueue`
/// serialises every access, so the class is safely `Sendable`.
public final class ResultStore: Sendable {
    /// Largest policy body stored, in bytes (`PolicyParser.maxBodyBytes`, the fetch cap);
    /// longer bodies are cut and flagged `truncated`.
    public static let policyBodyLimit = PolicyParser.maxBodyBytes

    /// The underlying connection, for read access by other modules' tests and tools.
    public let queue: DatabaseQueue
    /// The file this store was opened on.
    public let path: String

    /// The version of the SQLite library in use, for `ScanMetadata.sqliteVersion`.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// Opens `path` (creating it when missing), applies pending migrations, and refreshes
    /// `finding_codes` from `FindingCode.allCases`. Refuses a path that is no file (`""`,
    /// `:memory:`), a file that is not SQLite, and a SQLite database of another application
    /// (`DatabaseIdentity`), before anything is written to it.
    public init(path: String) throws {
        guard DatabaseIdentity.isFilePath(path) else { throw StoreError.notAFile(path) }
        var configuration = Configuration()
        // A short wait for another connection's transaction (a report reading during a WAL
        // checkpoint) instead of failing at once with "database is locked".
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Before any pragma changes the file: a foreign database is refused untouched.
            try DatabaseIdentity.check(db, path: path)
            // WAL: readers (reports, `sql`) never block the writer; NORMAL is durable across
            // a process crash (kill -9), which is what resume relies on.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A 10^6-row scan keeps more index pages hot in 8 MiB of cache, and rarer WAL
            // checkpoints copy each repeatedly modified page once instead of many times.
            try db.execute(sql: "PRAGMA cache_size = -8192")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        self.path = path
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try SchemaMigrations.migrator.migrate(queue)
            try queue.write { db in
                try DatabaseIdentity.stamp(db)
                try Self.refreshFindingCodes(db)
            }
        } catch {
            throw StoreError.from(error, path: path, action: "opening the database")
        }
    }

    /// Upserts every known code (codes are never removed or renamed, so no delete).
    static func refreshFindingCodes(_ db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO finding_codes(code, severity, stage, result_type, summary, advice)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET severity = excluded.severity, stage = excluded.stage,
                result_type = excluded.result_type, summary = excluded.summary, advice = excluded.advice
            """)
        for code in FindingCode.allCases {
            try statement.execute(arguments: [code.rawValue, code.severity.rawValue, code.stage.rawValue,
                                              code.resultType.rawValue, code.summary, code.advice])
        }
    }

    /// Records a new scan and returns its id.
    /// `inputSHA256`: the SHA-256 of the whole input file when it is known at the start (a
    /// regular file), so `--resume` can tell a changed list from the one scanned; nil for
    /// standard input (then set when the scan finishes).
    public func beginScan(_ metadata: ScanMetadata, inputSHA256: String? = nil) throws -> Int64 {
        let resolvers = try Self.json(metadata.resolvers)
        let options = try Self.json(metadata.options)
        return try writing("recording the scan in") { db in
            try db.execute(sql: """
                INSERT INTO scans(started_at, tool_version, cares_version, curl_version, sqlite_version,
                                  resolvers, options, input_name, input_sha256, shard)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Timestamp.string(from: metadata.startedAt), metadata.toolVersion,
                                 metadata.caresVersion, metadata.curlVersion, metadata.sqliteVersion,
                                 resolvers, options, metadata.inputName, inputSHA256, metadata.shard])
            return db.lastInsertedRowID
        }
    }

    /// A write transaction whose SQLite failure becomes a `StoreError` naming this file
    /// (disk full, read-only, ...).
    func writing<T>(_ action: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch {
            throw StoreError.from(error, path: path, action: action)
        }
    }

    /// The newest scan whose `finished_at` is NULL, for `scan --resume`.
    public func lastUnfinishedScan() throws -> ScanSummary? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "\(Self.summarySelect) WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1")
                .map(Self.summary)
        }
    }

    /// One scan by id, nil when there is none.
    public func scan(id: Int64) throws -> ScanSummary? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "\(Self.summarySelect) WHERE id = ?", arguments: [id]).map(Self.summary)
        }
    }

    /// The positions already stored for `scanID`, ascending, streamed in pages.
    public func finishedPositions(scanID: Int64) throws -> PositionCursor {
        PositionCursor(queue: queue, scanID: scanID)
    }

    /// Stores a batch in ONE transaction. A record whose (scan_id, position) is already
    /// stored is skipped with its children (`ON CONFLICT (scan_id, position) DO NOTHING`; not
    /// `INSERT OR IGNORE`, which would also drop rows failing a CHECK), so replaying a batch
    /// after a crash never duplicates a row. Returns how many records were new.
    @discardableResult
    public func write(scanID: Int64, _ batch: [DomainRecord]) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        return try writing("writing results to") { db in
            let writer = try BatchWriter(db)
            var inserted = 0
            for record in batch where try writer.insert(scanID: scanID, record) {
                inserted += 1
            }
            return inserted
        }
    }

    /// Progress bookkeeping, written by the scanner every few seconds.
    public func updateProgress(scanID: Int64, done: Int, errors: Int) throws {
        try writing("writing progress to") { db in
            try db.execute(sql: "UPDATE scans SET domains_done = ?, errors = ? WHERE id = ?",
                           arguments: [done, errors, scanID])
        }
    }

    /// Marks the scan finished: end time, total input entries, the SHA-256 of the input
    /// bytes read (standard input included), and `domains_done` and `errors` counted from the
    /// rows actually stored (so they always agree with the rows, whatever the running
    /// counters saw).
    public func finishScan(scanID: Int64, total: Int, inputSHA256: String?) throws {
        try writing("finishing the scan in") { db in
            try db.execute(sql: """
                UPDATE scans SET finished_at = ?, domains_total = ?, input_sha256 = coalesce(?, input_sha256),
                    domains_done = (SELECT count(*) FROM domain_results WHERE scan_id = ?),
                    errors = (SELECT count(*) FROM domain_results WHERE scan_id = ? AND error_code IS NOT NULL)
                WHERE id = ?
                """,
                arguments: [Timestamp.string(from: Date()), total, inputSHA256, scanID, scanID, scanID])
        }
    }

    // MARK: reading scans back

    private static let summarySelect = """
        SELECT id, started_at, finished_at, tool_version, cares_version, curl_version, sqlite_version,
               resolvers, options, input_name, input_sha256, domains_total, domains_done, errors, shard,
               (SELECT count(*) FROM domain_results d WHERE d.scan_id = scans.id) AS rows_stored
        FROM scans
        """

    private static func summary(_ row: Row) throws -> ScanSummary {
        let resolversJSON: String = row["resolvers"]
        let optionsJSON: String = row["options"]
        let resolvers = try JSONDecoder().decode([String].self, from: Data(resolversJSON.utf8))
        let options = try JSONDecoder().decode([String: String].self, from: Data(optionsJSON.utf8))
        let startedText: String = row["started_at"]
        let finishedText: String? = row["finished_at"]
        let metadata = ScanMetadata(
            startedAt: Timestamp.date(from: startedText) ?? Date(timeIntervalSince1970: 0),
            toolVersion: row["tool_version"], caresVersion: row["cares_version"],
            curlVersion: row["curl_version"], sqliteVersion: row["sqlite_version"],
            resolvers: resolvers, options: options, inputName: row["input_name"], shard: row["shard"])
        return ScanSummary(id: row["id"], metadata: metadata,
                           finishedAt: finishedText.flatMap(Timestamp.date(from:)),
                           inputSHA256: row["input_sha256"], domainsTotal: row["domains_total"],
                           domainsDone: row["domains_done"], errors: row["errors"], rowsStored: row["rows_stored"])
    }

    /// Deterministic JSON (sorted keys) so equal options give equal text.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
