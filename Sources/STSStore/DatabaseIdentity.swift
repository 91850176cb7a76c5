import Foundation
import GRDB

/// How an stsscan database says what it is: SQLite's `application_id` header field set to
/// `applicationID` and `user_version` to `formatVersion`, written when the store creates or
/// first opens it. A file with another application's id, or with tables but neither the id
/// nor stsscan's own tables, is refused before anything is written to it (scanning into a
/// foreign file used to add nine tables and switch it to WAL).
enum DatabaseIdentity {
    /// "STSS" in ASCII.
    static let applicationID: Int32 = 0x5354_5353
    /// The file format generation (the schema itself is versioned by the migrations).
    static let formatVersion: Int32 = 1
    /// Tables every stsscan database has had since the first schema.
    static let ownTables: Set<String> = ["scans", "domain_results", "findings", "finding_codes"]

    /// False for paths SQLite would turn into a temporary or in-memory database.
    static func isFilePath(_ path: String) -> Bool {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && trimmed != ":memory:" && !trimmed.hasPrefix("file::memory:")
    }

    /// Throws `StoreError.foreignDatabase` unless `db` is empty, carries stsscan's id, or
    /// is an stsscan database from before the id was written (it has stsscan's tables).
    static func check(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if id == applicationID {
            let version = try Int32.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            guard version <= formatVersion else {
                throw StoreError.foreignDatabase(path: path, detail: "written by a newer stsscan (format \(version)): upgrade stsscan")
            }
            return
        }
        if id != 0 {
            throw StoreError.foreignDatabase(path: path, detail: String(format: "application_id 0x%08x", UInt32(bitPattern: id)))
        }
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
            """)
        if tables.isEmpty { return }
        if ownTables.isSubset(of: Set(tables)) { return }
        let shown = tables.prefix(3).joined(separator: ", ") + (tables.count > 3 ? ", ..." : "")
        throw StoreError.foreignDatabase(path: path, detail: "tables \(shown)")
    }

    /// Writes the id and the format version (idempotent; a no-op write when already set).
    static func stamp(_ db: Database) throws {
        if try Int32.fetchOne(db, sql: "PRAGMA application_id") != applicationID {
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        if try Int32.fetchOne(db, sql: "PRAGMA user_version") != formatVersion {
            try db.execute(sql: "PRAGMA user_version = \(formatVersion)")
        }
    }
}
