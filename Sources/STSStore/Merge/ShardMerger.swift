import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// `stsscan merge OUT SHARD...`: joins the N shard databases of one sharded survey into one
/// scan holding every row, finding, MX host, raw record, policy body and MX probe, as an
/// unsharded scan of the same list would have stored them (positions are full-list positions,
/// so the merge is a plain union).
///
/// Refuses, writing nothing, unless the inputs are N shard scans of the same list (input
/// SHA-256) with the same tool and library versions, resolvers and options (the shard and
/// the engine's per-run facts aside), every K of 0..<N present exactly once, each finished
/// with all its rows. The merged scan is first built in a new file next to OUT; that file
/// is renamed into place when OUT does not exist, or copied into OUT in one transaction
/// (adding a scan after the ones OUT holds), so a failure or a kill leaves OUT as it was.
public enum ShardMerger {
    /// What a merge did.
    public struct Outcome: Sendable {
        /// The merged scan's id in OUT.
        public var scanID: Int64
        public var shards: Int
        public var rows: Int
        /// OUT did not exist and was created.
        public var createdFile: Bool
    }

    /// Keys of `scans.options` the engine learns while scanning (`EngineStatistics.recordedFacts`
    /// in STSScanner): they differ from run to run and from shard to shard and are not
    /// compared. The merged scan records the smallest and largest DNS window of all shards and
    /// the lowest round trip, the sums of the counts, and the final window of the shard that
    /// finished last; each part keeps its own in `scan_parts.options`.
    public static let runFactKeys = Set(["dns_window_final", "dns_window_smallest", "dns_window_largest",
                                         "dns_base_rtt_us"]).union(summedFactKeys)
    /// The run facts that are counts: summed over shards.
    static let summedFactKeys: Set<String> = ["fetches_stalled", "dns_window_delay_decreases", "dns_window_loss_decreases",
                                              "dns_timeouts", "dns_requeried", "dns_requeried_answered"]

    /// Merges the shard databases `shardPaths` into `outPath` (created when missing).
    public static func merge(into outPath: String, shards shardPaths: [String]) throws -> Outcome {
        guard DatabaseIdentity.isFilePath(outPath) else { throw StoreError.notAFile(outPath) }
        guard !shardPaths.isEmpty else {
            throw MergeError(file: nil, reason: "no shard database given", advice: "give every shard database, e.g. shard-0.sqlite ... shard-3.sqlite")
        }
        var isDirectory: ObjCBool = false
        let folder = URL(fileURLWithPath: outPath).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MergeError(file: outPath, reason: "its folder does not exist", advice: "create it first, or give another output path")
        }
        try checkDistinctFiles(out: outPath, inputs: shardPaths)
        let known = SchemaMigrations.migrator.migrations
        let parts = try shardPaths.map { try ShardPart.read(path: $0, knownMigrations: known) }
        let ordered = try checkConsistent(parts)

        // One merge (or scan) of OUT at a time.
        let lock = try ScanLock(databasePath: outPath)
        defer { withExtendedLifetime(lock) {} }
        try checkNotMergedBefore(out: outPath, parts: ordered)
        let staging = stagingPath(for: outPath)
        removeStaleStaging(for: outPath)
        removeDatabaseFiles(staging)
        defer { removeDatabaseFiles(staging) }
        let rows = try buildStaging(at: staging, parts: ordered)

        if !FileManager.default.fileExists(atPath: outPath) {
            // link(2) fails instead of replacing a file created meanwhile.
            guard link(staging, outPath) == 0 else {
                throw StoreError.failed(path: outPath, action: "creating", reason: String(cString: strerror(errno)))
            }
            return Outcome(scanID: 1, shards: ordered.count, rows: rows, createdFile: true)
        }
        let scanID = try copyStaging(staging, into: outPath, parts: ordered)
        return Outcome(scanID: scanID, shards: ordered.count, rows: rows, createdFile: false)
    }

    // MARK: - Checks

    /// OUT is none of the inputs, and no input is given twice (same file under two names included).
    static func checkDistinctFiles(out: String, inputs: [String]) throws {
        func identity(_ path: String) -> (dev_t, ino_t)? {
            var status = stat()
            return stat(path, &status) == 0 ? (status.st_dev, status.st_ino) : nil
        }
        let outIdentity = identity(out)
        var seen: [(path: String, dev: dev_t, ino: ino_t)] = []
        for path in inputs {
            guard let (dev, ino) = identity(path) else { continue }  // ShardPart.read names the missing file
            if let outIdentity, outIdentity == (dev, ino) {
                throw MergeError(file: path, reason: "is also the output database",
                                 advice: "merge into a new file, or into a database that holds earlier merged scans")
            }
            if let first = seen.first(where: { $0.dev == dev && $0.ino == ino }) {
                throw MergeError(file: path, reason: "is given twice (also as '\(first.path)')", advice: "give each shard database once")
            }
            seen.append((path, dev, ino))
        }
    }

    /// Every part is a finished shard of the same list, scanned the same way, and the parts
    /// are shards 0..<N exactly once. Returns the parts ordered by K.
    static func checkConsistent(_ parts: [ShardPart]) throws -> [ShardPart] {
        let first = parts[0]
        for part in parts {
            if part.count != first.count {
                throw MergeError(file: part.path, reason: "is shard \(part.shard) but '\(first.path)' is shard \(first.shard)",
                                 advice: "merge shards of one split: every --shard K/N of a survey has the same N")
            }
            guard part.finishedAt != nil, let total = part.domainsTotal, part.domainsDone == total, part.rowsStored == total else {
                if part.running {
                    throw MergeError(file: part.path,
                                     reason: "shard \(part.shard) (scan \(part.scanID)) is still being written by a running scan "
                                        + "(\(part.rowsStored) rows stored so far)",
                                     advice: "wait until that scan finishes, then merge")
                }
                throw MergeError(file: part.path,
                                 reason: "shard \(part.shard) (scan \(part.scanID)) is unfinished (\(part.rowsStored) rows stored"
                                    + (part.domainsTotal.map { " of \($0)" } ?? "") + ")",
                                 advice: "finish it with `stsscan scan LIST --db \(part.path) --shard \(part.shard) --resume`, then merge")
            }
            if part.inputSHA256 != first.inputSHA256 || part.inputSHA256 == nil {
                throw MergeError(file: part.path,
                                 reason: "scanned another list than '\(first.path)' (input SHA-256 \(short(part.inputSHA256)) vs \(short(first.inputSHA256)))",
                                 advice: "merge shards of one list; scan every shard of the same file")
            }
            let versions = [("tool_version", part.toolVersion, first.toolVersion), ("cares_version", part.caresVersion, first.caresVersion),
                            ("curl_version", part.curlVersion, first.curlVersion), ("sqlite_version", part.sqliteVersion, first.sqliteVersion),
                            ("resolvers", part.resolvers, first.resolvers)]
            if let (name, mine, theirs) = versions.first(where: { $0.1 != $0.2 }) {
                throw MergeError(file: part.path, reason: "was scanned with \(name) \(mine), '\(first.path)' with \(theirs)",
                                 advice: "scan every shard with the same stsscan build and resolvers")
            }
            let keys = Set(part.options.keys).union(first.options.keys).subtracting(runFactKeys).sorted()
            if let key = keys.first(where: { part.options[$0] != first.options[$0] }) {
                throw MergeError(file: part.path,
                                 reason: "was scanned with option \(key) = \(part.options[key] ?? "(unset)"), '\(first.path)' with \(first.options[key] ?? "(unset)")",
                                 advice: "scan every shard with the same options (only --shard differs)")
            }
        }
        var byIndex: [Int: ShardPart] = [:]
        for part in parts {
            if let other = byIndex[part.index] {
                throw MergeError(file: part.path, reason: "is shard \(part.shard), like '\(other.path)'",
                                 advice: "give each shard once")
            }
            byIndex[part.index] = part
        }
        let missing = (0..<first.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw MergeError(file: nil,
                             reason: "shard\(missing.count > 1 ? "s" : "") " + missing.prefix(8).map { "\($0)/\(first.count)" }.joined(separator: ", ")
                                + (missing.count > 8 ? ", ..." : "") + " missing (\(parts.count) of \(first.count) given)",
                             advice: "give all \(first.count) shard databases")
        }
        return (0..<first.count).map { byIndex[$0]! }
    }

    /// An existing OUT must not already hold a scan merged from these very shard scans (same
    /// shard, start and finish of every part): a second copy would count the survey twice.
    static func checkNotMergedBefore(out: String, parts: [ShardPart]) throws {
        guard FileManager.default.fileExists(atPath: out) else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let earlier: Int64?
        do {
            let queue = try DatabaseQueue(path: out, configuration: configuration)
            defer { try? queue.close() }
            earlier = try queue.read { db -> Int64? in
                try DatabaseIdentity.check(db, path: out)
                guard try db.tableExists("scan_parts") else { return nil }
                var candidates: Set<Int64>?
                for part in parts {
                    let ids = try Int64.fetchAll(db, sql: """
                        SELECT p.scan_id FROM scan_parts p JOIN scans s ON s.id = p.scan_id
                        WHERE p.shard = ? AND p.started_at = ? AND p.finished_at = ? AND s.input_sha256 = ?
                        """, arguments: [part.shard, part.startedAt, part.finishedAt, part.inputSHA256])
                    candidates = candidates.map { $0.intersection(ids) } ?? Set(ids)
                }
                return candidates?.min()
            }
        } catch {
            return  // opening OUT for the merge reports what is wrong with it
        }
        if let earlier {
            throw MergeError(file: out, reason: "already holds these shards, merged as scan \(earlier)",
                             advice: "nothing to do (merge new shard scans to add a survey)")
        }
    }

    private static func short(_ digest: String?) -> String { digest.map { String($0.prefix(12)) + "..." } ?? "unknown" }

    // MARK: - Building

    /// A new file in OUT's folder (so the final link or copy stays on one file system).
    static func stagingPath(for outPath: String) -> String {
        let url = URL(fileURLWithPath: outPath)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).merging-\(getpid())").path
    }

    /// Removes the staging files a killed merge of OUT left (`.OUT.merging-PID` whose process
    /// is gone). Called with OUT's lock held, so no live merge of OUT is building one.
    static func removeStaleStaging(for outPath: String) {
        let url = URL(fileURLWithPath: outPath)
        let folder = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent).merging-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            guard let pid = pid_t(digits), pid > 0, pid != getpid(),
                  kill(pid, 0) != 0 && errno == ESRCH,
                  ["", "-wal", "-shm", "-journal"].contains(String(name.dropFirst(prefix.count + digits.count)))
            else { continue }
            unlink(URL(fileURLWithPath: folder).appendingPathComponent(name).path)
        }
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// The merged scan's options: the common options, plus the engine's facts combined.
    static func mergedOptions(_ parts: [ShardPart]) -> [String: String] {
        var options = parts[0].options.filter { !runFactKeys.contains($0.key) }
        func numbers(_ key: String) -> [Int] { parts.compactMap { $0.options[key].flatMap(Int.init) } }
        options["dns_window_smallest"] = numbers("dns_window_smallest").min().map(String.init)
        options["dns_window_largest"] = numbers("dns_window_largest").max().map(String.init)
        options["dns_base_rtt_us"] = numbers("dns_base_rtt_us").min().map(String.init)
        for key in summedFactKeys {
            let counts = numbers(key)
            options[key] = counts.isEmpty ? nil : String(counts.reduce(0, +))
        }
        let last = parts.max { ($0.finishedAt ?? "") < ($1.finishedAt ?? "") }
        options["dns_window_final"] = last?.options["dns_window_final"]
        return options
    }

    /// Builds the merged scan (id 1) in a new database at `path`; returns its row count.
    static func buildStaging(at path: String, parts: [ShardPart]) throws -> Int {
        let store = try ResultStore(path: path)
        do {
            let queue = store.queue
            let mergedAt = Timestamp.string(from: Date())
            try queue.inDatabase { db in
                // A scratch file: a crash loses nothing, and the sources' rows already met
                // every foreign key (the row counts are checked below).
                // No journal either: a failed merge deletes the whole file.
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA synchronous = OFF")
                try db.execute(sql: "PRAGMA cache_size = -65536")
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.inTransaction {
                    try db.execute(sql: """
                        INSERT INTO scans(id, started_at, finished_at, tool_version, cares_version, curl_version, sqlite_version,
                                          resolvers, options, input_name, input_sha256, domains_total, domains_done, errors, shard)
                        VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                        """, arguments: [parts.map(\.startedAt).min(), parts.compactMap(\.finishedAt).max(),
                                         parts[0].toolVersion, parts[0].caresVersion, parts[0].curlVersion,
                                         parts[0].sqliteVersion, parts[0].resolvers,
                                         try ResultStore.json(mergedOptions(parts)), parts[0].inputName,
                                         parts[0].inputSHA256, parts.reduce(0) { $0 + ($1.domainsTotal ?? 0) },
                                         parts.reduce(0) { $0 + $1.domainsDone }, parts.reduce(0) { $0 + $1.errors }])
                    return .commit
                }
                let tables = try scanTables(db, schema: "main")
                // Indexes are built once at the end (one sort each), not row by row while the
                // shards' interleaved positions arrive.
                let indexes = try String.fetchAll(db, sql: """
                    SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                        AND tbl_name IN (SELECT value FROM json_each(?))
                    """, arguments: [try ResultStore.json(tables)])
                let indexNames = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                        AND tbl_name IN (SELECT value FROM json_each(?))
                    """, arguments: [try ResultStore.json(tables)])
                for name in indexNames { try db.execute(sql: "DROP INDEX \"\(name)\"") }
                for part in parts {
                    do {
                        try db.execute(sql: "ATTACH DATABASE ? AS part", arguments: [part.path])
                        try db.inTransaction {
                            try checkScanRow(db, part: part)
                            for table in tables {
                                try copy(table, db: db, from: "part", sourceScanID: part.scanID, targetScanID: 1, file: part.path)
                            }
                            try db.execute(sql: """
                                INSERT INTO scan_parts(scan_id, shard, source_file, source_scan_id, started_at, finished_at,
                                                       domains_total, errors, options, merged_at)
                                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """, arguments: [part.shard, part.path, part.scanID, part.startedAt, part.finishedAt,
                                                 part.domainsTotal, part.errors, part.optionsJSON, mergedAt])
                            return .commit
                        }
                    } catch let error as DatabaseError
                                where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                        // The shard is to blame, not the staging file being written.
                        try? db.execute(sql: "DETACH DATABASE part")
                        throw MergeError(file: part.path, reason: "is damaged (\(error.message ?? "\(error.resultCode)"))",
                                         advice: ShardPart.damagedAdvice)
                    } catch {
                        try? db.execute(sql: "DETACH DATABASE part")
                        throw error
                    }
                    try db.execute(sql: "DETACH DATABASE part")
                }
                try db.inTransaction {
                    for sql in indexes { try db.execute(sql: sql) }
                    return .commit
                }
            }
            let rows = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
            let expected = parts.reduce(0) { $0 + ($1.domainsTotal ?? 0) }
            guard rows == expected else {
                throw MergeError(file: nil, reason: "the shards hold \(rows) rows, their scans count \(expected)",
                                 advice: "the shard databases changed while merging; merge again")
            }
            try queue.close()
            return rows
        } catch let error as MergeError {
            try? store.queue.close()
            throw error
        } catch {
            try? store.queue.close()
            throw StoreError.from(error, path: path, action: "merging into")
        }
    }

    /// Copies the staging file's scan into the existing database at `outPath`, as a new scan,
    /// in one transaction. Returns the new scan's id.
    static func copyStaging(_ staging: String, into outPath: String, parts: [ShardPart]) throws -> Int64 {
        let store = try ResultStore(path: outPath)
        defer { try? store.queue.close() }
        do {
            return try store.queue.inDatabase { db in
                try db.execute(sql: "ATTACH DATABASE ? AS merged", arguments: [staging])
                defer { try? db.execute(sql: "DETACH DATABASE merged") }
                var scanID: Int64 = 0
                try db.inTransaction {
                    let columns = try db.columns(in: "scans", in: "main").map(\.name).filter { $0 != "id" }
                    let list = columns.joined(separator: ", ")
                    try db.execute(sql: "INSERT INTO main.scans(\(list)) SELECT \(list) FROM merged.scans WHERE id = 1")
                    scanID = db.lastInsertedRowID
                    for table in try scanTables(db, schema: "main") + ["scan_parts"] {
                        try copy(table, db: db, from: "merged", sourceScanID: 1, targetScanID: scanID, file: staging)
                    }
                    return .commit
                }
                return scanID
            }
        } catch let error as MergeError {
            throw error
        } catch {
            throw StoreError.from(error, path: outPath, action: "merging into")
        }
    }

    /// The tables holding a scan's rows (a `scan_id` column), `domain_results` first (the
    /// others refer to it); `scans` and `scan_parts` are written separately.
    static func scanTables(_ db: Database, schema: String) throws -> [String] {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM \(schema).sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT IN ('scans', 'scan_parts') ORDER BY name
            """)
        var result: [String] = []
        for table in tables where try db.columns(in: table, in: schema).contains(where: { $0.name == "scan_id" }) {
            result.append(table)
        }
        return result.sorted { ($0 == "domain_results" ? 0 : 1, $0) < ($1 == "domain_results" ? 0 : 1, $1) }
    }

    /// The part's own `scans` row meets the schema's CHECK constraints (a read-only
    /// connection ignores them, so `integrity_check` cannot): inserted into the staging file
    /// as a scratch row, which enforces them, then removed.
    static func checkScanRow(_ db: Database, part: ShardPart) throws {
        let available = Set(try db.columns(in: "scans", in: "part").map(\.name))
        let columns = try db.columns(in: "scans", in: "main").map(\.name).filter { $0 != "id" && available.contains($0) }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        do {
            try db.execute(sql: "INSERT INTO main.scans(id, \(list)) SELECT 2, \(list) FROM part.scans WHERE id = ?",
                           arguments: [part.scanID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw MergeError(file: part.path, reason: "is damaged: its scans row breaks the schema (\(error.message ?? "constraint"))",
                             advice: ShardPart.damagedAdvice)
        }
        try db.execute(sql: "DELETE FROM main.scans WHERE id = 2")
    }

    /// `INSERT INTO main.table SELECT ... FROM source.table` for one scan, every column of the
    /// target (the source must have them all). `mx_probes` rows are per host, and two shards
    /// may probe the same host: the earliest probe is kept (on a tie, the lower shard's).
    static func copy(_ table: String, db: Database, from source: String, sourceScanID: Int64, targetScanID: Int64,
                     file: String) throws {
        let columns = try db.columns(in: table, in: "main").map(\.name)
        guard try db.tableExists(table, in: source) else {
            throw MergeError(file: file, reason: "has no table \(table) (written by an older stsscan)",
                             advice: "rescan that shard with this stsscan")
        }
        let available = Set(try db.columns(in: table, in: source).map(\.name))
        if let missing = columns.first(where: { !available.contains($0) }) {
            throw MergeError(file: file, reason: "table \(table) has no column \(missing) (written by an older stsscan)",
                             advice: "rescan that shard with this stsscan")
        }
        let quoted = columns.map { "\"\($0)\"" }
        let selected = columns.map { $0 == "scan_id" ? "?1" : "\"\($0)\"" }.joined(separator: ", ")
        var sql = "INSERT INTO main.\(table)(\(quoted.joined(separator: ", "))) SELECT \(selected) FROM \(source).\(table) WHERE scan_id = ?2"
        if table == "mx_probes" {
            let updates = quoted.filter { $0 != "\"scan_id\"" && $0 != "\"host\"" }.map { "\($0) = excluded.\($0)" }
            sql += " ON CONFLICT(scan_id, host) DO UPDATE SET \(updates.joined(separator: ", ")) WHERE excluded.probed_at < mx_probes.probed_at"
        }
        do {
            try db.execute(sql: sql, arguments: [targetScanID, sourceScanID])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                    || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw MergeError(file: file, reason: "has \(table) rows at positions another shard also holds",
                             advice: "the files are not distinct shards of one list; rescan the shards")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // CHECK, NOT NULL: a value no stsscan writes (a read-only integrity_check skips CHECKs).
            throw MergeError(file: file, reason: "is damaged: its \(table) rows break the schema (\(error.message ?? "constraint"))",
                             advice: ShardPart.damagedAdvice)
        }
    }
}
