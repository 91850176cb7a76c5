import Foundation
import GRDB

/// A scan database opened read-only: reports, `sql` and `diff` never write.
public struct ReportDatabase: Sendable {
    /// The read-only connection.
    public let queue: DatabaseQueue
    public let path: String

    /// Opens `path` read-only; fails when the file does not exist (nothing is created).
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError.noDatabase(path)
        }
        if isDirectory.boolValue { throw ReportError.unreadable(path, "it is a directory; give the database file in it") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in
            // Reports scan whole scans: map the file and keep 64 MiB of pages in cache.
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        self.path = path
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            // Reading the schema is the first real read: a file that is not SQLite fails here.
            _ = try queue.read { db in try db.tableExists("scans") }
        } catch let error as DatabaseError {
            throw ReportError.unreadable(path, error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
                ? "it is not an SQLite database (or it is damaged); give the file `stsscan scan --db` wrote"
                : error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_PERM
                    ? Self.cannotOpen(path: path, folderWritable: access(Self.folder(of: path), W_OK) == 0,
                                      readable: access(path, R_OK) == 0)
                    : "SQLite could not read it (\(error.message ?? "error \(error.resultCode.rawValue)"))")
        }
    }

    /// Why a database file that exists cannot be opened, in words that say what to do. A scan
    /// database is in WAL mode: even reading it, SQLite creates `-wal` and `-shm` files beside
    /// it, so a read-only folder (a read-only mount, a CD) stops it.
    static func cannotOpen(path: String, folderWritable: Bool, readable: Bool) -> String {
        if !readable { return "you may not read it; check its permissions and its folder's" }
        if !folderWritable {
            return "its folder is read-only, and SQLite needs to create '\(URL(fileURLWithPath: path).lastPathComponent)-wal' and "
                + "'-shm' beside it even to read it (WAL mode); copy the database to a writable folder and give that copy"
        }
        return "SQLite cannot open it; check that you may read it and write to its folder (SQLite needs its -wal and -shm files there)"
    }

    static func folder(of path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return folder.isEmpty ? "." : folder
    }

    /// `requested` when that scan exists, else the newest scan; throws when there is none.
    public func scanID(_ requested: Int64?) throws -> Int64 {
        try queue.read { db in
            guard try db.tableExists("scans") else { throw ReportError.notAScanDatabase(path) }
            if let requested {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM scans WHERE id = ?", arguments: [requested]) != nil
                else { throw ReportError.noSuchScan(requested) }
                return requested
            }
            guard let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM scans") else {
                throw ReportError.noScans(path)
            }
            return newest
        }
    }

    /// Whether a finished scan older than `id` exists (sections over two scans need one).
    public func hasEarlierFinishedScan(_ id: Int64) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM scans WHERE id < ? AND finished_at IS NOT NULL LIMIT 1",
                              arguments: [id]) ?? false
        }
    }

    /// Runs `spec`'s SQL with named `arguments` and returns the table.
    func run(_ spec: ReportSectionSpec, _ db: Database, arguments: [String: Int64]) throws -> ReportTable {
        let (columns, rows) = try Self.query(db, sql: spec.sql,
                                             arguments: StatementArguments(arguments.mapValues { $0 as DatabaseValueConvertible? }))
        return ReportTable(id: spec.id, title: spec.title, description: spec.description, sql: spec.sql,
                           columns: columns, rows: rows, chart: spec.chart, lineChart: spec.lineChart,
                           cdfChart: spec.cdfChart)
    }

    /// Column names and rows of one statement (columns are known even with no rows).
    static func query(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments())
        throws -> (columns: [String], rows: [[ReportValue]]) {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        var rows: [[ReportValue]] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(row.databaseValues.map(ReportValue.init))
        }
        return (columns, rows)
    }
}

extension ReportValue {
    /// SQLite storage class to report value; blobs are shown as hex (`x'..'`).
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let int): self = .integer(int)
        case .double(let double): self = .real(double)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .text("x'" + data.map { String(format: "%02x", $0) }.joined() + "'")
        }
    }
}
