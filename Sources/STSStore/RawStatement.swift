import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the batch writer's hot path
/// only: GRDB's argument machinery (existential values, validation, per-statement hooks)
/// costs several times the insert itself at 10^5 statements/s. It runs inside a GRDB
/// write transaction on GRDB's own connection and is finalized before that closure
/// returns; errors become GRDB `DatabaseError`s like any other statement's.
final class RawStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer
    private let sql: String
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE) }
        self.connection = connection
        self.sql = sql
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ value: Int64) { index += 1; sqlite3_bind_int64(handle, index, value) }
    func bind(_ value: Int) { bind(Int64(value)) }
    func bind(_ value: Int?) { if let value { bind(Int64(value)) } else { bindNull() } }
    func bind(_ value: Bool?) { if let value { bind(Int64(value ? 1 : 0)) } else { bindNull() } }
    func bindNull() { index += 1; sqlite3_bind_null(handle, index) }
    func bind(_ value: String?) {
        guard var text = value else { bindNull(); return }
        index += 1
        let position = index
        text.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes, which live only during this call.
            // An empty buffer may have no base address (SQLite would bind NULL): bind "" then.
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                sqlite3_bind_text(handle, position, "", 0, Self.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { pointer in
                _ = sqlite3_bind_text(handle, position, pointer, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Runs the statement once with the values bound since the last run; returns
    /// `sqlite3_changes` (0 when `ON CONFLICT DO NOTHING` skipped the row).
    @discardableResult
    func run() throws -> Int {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        return Int(sqlite3_changes(connection))
    }

    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
