import CSQLiteConfig
import Foundation
import GRDB
import GRDBSQLite

/// One SQL statement typed by a user (`stsscan sql`), run read-only and streamed: each row
/// goes to the caller as SQLite produces it, so memory stays flat for a million-row answer.
///
/// Hardened beyond the read-only connection: the two-argument `fts3_tokenizer()` and
/// extension loading are turned off, and an authorizer admits only reading (SELECT, table
/// reads, CTEs, functions other than `fts3_tokenizer` / `load_extension`, and schema-reading
/// pragmas). `fts3_tokenizer('simple')` would otherwise hand out a memory address. A
/// statement SQLite itself says may write (`sqlite3_stmt_readonly`) is refused too: the
/// authorizer never sees `VACUUM`, and `VACUUM INTO 'file'` works on a read-only connection
/// (it writes a whole copy of the database to any path, `file:` URIs included).
public enum UserQuery {
    /// Functions refused even though the statement only reads.
    static let refusedFunctions: Set<String> = ["fts3_tokenizer", "load_extension"]
    /// Pragmas that only describe the schema.
    static let allowedPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "collation_list", "function_list", "pragma_list", "database_list",
    ]

    static let onlyReads = "`sql` only reads (SELECT, WITH, schema pragmas)"

    /// Runs `text`: `columns` once with the column names, then `row` per row.
    public static func stream(_ database: ReportDatabase, _ text: String,
                              columns: ([String]) throws -> Void, row: ([ReportValue]) throws -> Void) throws {
        try database.queue.inDatabase { db in
            guard let connection = db.sqliteConnection else { throw ReportError.sql("the database is closed") }
            let raw = UnsafeMutableRawPointer(connection)
            guard stssqlite_disable_fts3_tokenizer(raw) == SQLITE_OK, stssqlite_disable_load_extension(raw) == SQLITE_OK
            else { throw ReportError.sql("could not restrict the connection") }
            let statement = try prepare(connection, text)
            defer { sqlite3_finalize(statement) }
            let count = sqlite3_column_count(statement)
            try columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
            var values = [ReportValue](repeating: .null, count: Int(count))
            while true {
                let code = sqlite3_step(statement)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw ReportError.sql(String(cString: sqlite3_errmsg(connection))) }
                for index in 0..<count { values[Int(index)] = value(statement, index) }
                try row(values)
            }
        }
    }

    /// Compiles exactly one statement under the read-only authorizer.
    private static func prepare(_ connection: OpaquePointer, _ text: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let code: Int32 = text.withCString { sql in
            sqlite3_set_authorizer(connection, { _, action, first, second, _, _ in
                UserQuery.authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
            }, nil)
            defer { sqlite3_set_authorizer(connection, nil, nil) }
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(connection, sql, -1, &statement, &tail)
            if code == SQLITE_OK, let tail, !String(cString: tail).trimmingCharacters(in: .whitespacesAndNewlines.union(
                CharacterSet(charactersIn: ";"))).isEmpty {
                sqlite3_finalize(statement)
                statement = nil
                return SQLITE_MISUSE
            }
            return code
        }
        if code == SQLITE_MISUSE {
            throw ReportError.sql("one statement at a time: run each SELECT separately")
        }
        guard code == SQLITE_OK, let statement else {
            let message = String(cString: sqlite3_errmsg(connection))
            throw ReportError.sql(code == SQLITE_AUTH ? "\(message): \(onlyReads)" : message)
        }
        // Compiled, not run: VACUUM (in any spelling) is refused before it writes anything.
        guard sqlite3_stmt_readonly(statement) != 0 else {
            sqlite3_finalize(statement)
            throw ReportError.sql("not authorized: the statement writes (VACUUM?); \(onlyReads)")
        }
        return statement
    }

    /// The authorizer's verdict on one action of a statement being compiled.
    static func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            return refusedFunctions.contains((second ?? "").lowercased()) ? SQLITE_DENY : SQLITE_OK
        case SQLITE_PRAGMA:
            return allowedPragmas.contains((first ?? "").lowercased()) ? SQLITE_OK : SQLITE_DENY
        default:
            return SQLITE_DENY
        }
    }

    private static func value(_ statement: OpaquePointer, _ index: Int32) -> ReportValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .text("x''") }
            let data = UnsafeRawBufferPointer(start: bytes, count: count)
            return .text("x'" + data.map { String(format: "%02x", $0) }.joined() + "'")
        default:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let text = sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }
}
