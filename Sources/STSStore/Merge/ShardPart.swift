import Foundation
import GRDB

/// One shard database given to `stsscan merge`, as read (read-only) from its `scans` row.
struct ShardPart: Sendable {
    /// The path as given.
    let path: String
    let scanID: Int64
    /// K and N of the scan's `K/N`.
    let index: Int
    let count: Int
    let startedAt: String
    let finishedAt: String?
    let toolVersion: String
    let caresVersion: String
    let curlVersion: String
    let sqliteVersion: String
    let resolvers: String
    let options: [String: String]
    let optionsJSON: String
    let inputName: String
    let inputSHA256: String?
    let domainsTotal: Int?
    let domainsDone: Int
    let errors: Int
    let rowsStored: Int
    /// A scan holds the shard's lock (`ScanLock`): it is still being written.
    var running = false

    var shard: String { "\(index)/\(count)" }

    /// Reads the one scan of the shard database at `path`, refusing what is not a usable
    /// shard: no file, not SQLite, a damaged file (`checkIntegrity`), another
    /// application's database, a newer schema, no scan, several scans, an unsharded scan.
    /// (Finished, equal lists and options: `ShardMerger`.)
    static func read(path: String, knownMigrations: [String]) throws -> ShardPart {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw MergeError(file: path, reason: "no such file", advice: "give the shard databases written by `scan --shard K/N`")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw MergeError(file: path, reason: "not a regular file", advice: "give the shard databases written by `scan --shard K/N`")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            try checkIntegrity(path: path)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            var part = try queue.read { db in try read(db, path: path, knownMigrations: knownMigrations) }
            part.running = ScanLock.isHeld(databasePath: path)
            return part
        } catch let error as MergeError {
            throw error
        } catch let error as StoreError {
            throw MergeError(file: path, reason: "not an stsscan database (\(error.description))",
                             advice: "give the shard databases written by `scan --shard K/N`")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw MergeError(file: path, reason: "not a SQLite database", advice: "give the shard databases written by `scan --shard K/N`")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw MergeError(file: path, reason: "is damaged (\(error.message ?? "SQLite: database disk image is malformed"))",
                             advice: damagedAdvice)
        } catch let error as DatabaseError {
            throw MergeError(file: path, reason: "cannot be read (\(error.message ?? "SQLite error \(error.resultCode)"))",
                             advice: "check the file and its permissions")
        }
    }

    static let damagedAdvice = "rescan that shard (or merge an intact copy of it)"

    /// Refuses a file whose pages, indexes, NOT NULL or CHECK constraints are damaged
    /// (flipped bytes can change a name or a status and still read): nothing is merged from it.
    /// The connection may write but is `query_only`: SQLite drops CHECK constraints when it
    /// parses the schema of a database opened read-only, and `integrity_check` then skips
    /// them (a file the process may not write still gets every other check; the merge's
    /// inserts enforce CHECKs on the rows it copies).
    static func checkIntegrity(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        // At most 3 messages: SQLite stops looking after that, and one names the damage.
        let problems = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(3)") }
        guard problems != ["ok"] else { return }
        throw MergeError(file: path, reason: "is damaged (PRAGMA integrity_check: \(problems.first ?? "no answer")"
                            + (problems.count > 1 ? "; ..." : "") + ")",
                         advice: damagedAdvice)
    }

    private static func read(_ db: Database, path: String, knownMigrations: [String]) throws -> ShardPart {
        try DatabaseIdentity.check(db, path: path)
        guard try db.tableExists("scans") else {
            throw MergeError(file: path, reason: "holds no scan", advice: "give the shard databases written by `scan --shard K/N`")
        }
        if try db.tableExists("grdb_migrations") {
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            if let unknown = applied.first(where: { !knownMigrations.contains($0) }) {
                throw MergeError(file: path, reason: "was written by a newer stsscan (schema '\(unknown)')",
                                 advice: "merge with that stsscan version")
            }
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, started_at, finished_at, tool_version, cares_version, curl_version, sqlite_version, resolvers,
                   options, input_name, input_sha256, domains_total, domains_done, errors, shard,
                   (SELECT count(*) FROM domain_results d WHERE d.scan_id = scans.id) AS rows_stored
            FROM scans ORDER BY id
            """)
        guard let row = rows.first else {
            throw MergeError(file: path, reason: "holds no scan", advice: "give the shard databases written by `scan --shard K/N`")
        }
        guard rows.count == 1 else {
            let ids = rows.map { "\($0["id"] as Int64)" }.joined(separator: ", ")
            throw MergeError(file: path, reason: "holds \(rows.count) scans (ids \(ids)), not one shard scan",
                             advice: "scan each shard into its own new database (one --db per shard and survey), then merge those")
        }
        let id: Int64 = row["id"]
        guard let shardText: String = row["shard"] else {
            throw MergeError(file: path, reason: "scan \(id) is not a shard (it was scanned without --shard)",
                             advice: "merge only databases of `scan --shard K/N`")
        }
        guard let (index, count) = parse(shardText) else {
            throw MergeError(file: path, reason: "scan \(id) has an unreadable shard '\(shardText)'", advice: "rescan that shard")
        }
        let optionsJSON: String = row["options"]
        guard let options = try? JSONDecoder().decode([String: String].self, from: Data(optionsJSON.utf8)) else {
            throw MergeError(file: path, reason: "scan \(id) has unreadable options", advice: "rescan that shard")
        }
        return ShardPart(path: path, scanID: id, index: index, count: count, startedAt: row["started_at"],
                         finishedAt: row["finished_at"], toolVersion: row["tool_version"], caresVersion: row["cares_version"],
                         curlVersion: row["curl_version"], sqliteVersion: row["sqlite_version"], resolvers: row["resolvers"],
                         options: options, optionsJSON: optionsJSON, inputName: row["input_name"],
                         inputSHA256: row["input_sha256"], domainsTotal: row["domains_total"],
                         domainsDone: row["domains_done"], errors: row["errors"], rowsStored: row["rows_stored"])
    }

    /// `K/N` with `0 <= K < N` (the scanner's `Shard` writes it).
    static func parse(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else { return nil }
        return (k, n)
    }
}
