import Foundation
import GRDB

/// The store's own failures, worded for the person running the scan: what went wrong, the
/// path, and what to do. Never a library's internals.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `--db ""` or `:memory:`: the results would vanish when the process ends.
    case notAFile(String)
    /// A SQLite file that is not an stsscan database (another application's tables).
    case foreignDatabase(path: String, detail: String)
    /// Not a SQLite database at all.
    case notADatabase(String)
    /// The disk (or file system quota) is full.
    case diskFull(String)
    /// Another scan holds the database.
    case busy(String)
    /// Another program holds a SQLite lock on the database (an stsscan scan would hold its
    /// `.lock` file first): `holders` names the processes with it open, when readable.
    case lockedByOtherProgram(path: String, holders: [String])
    /// Another failure of the file or the disk, in plain words.
    case failed(path: String, action: String, reason: String)

    public var description: String {
        switch self {
        case .notAFile(let path):
            "--db '\(path)' is not a database file (a temporary or in-memory database would lose the results): "
                + "give a file path, e.g. --db survey.sqlite"
        case .foreignDatabase(let path, let detail):
            "'\(path)' is a SQLite database of another application (\(detail)); stsscan leaves it untouched: "
                + "give a new file or an stsscan database"
        case .notADatabase(let path):
            "'\(path)' is not a SQLite database; stsscan leaves it untouched: give a new file or an stsscan database"
        case .diskFull(let path):
            "disk full: \(path): free space on its file system (what was stored is intact)"
        case .busy(let path):
            "'\(path)' is in use by another scan (stsscan allows one scan per database at a time): "
                + "wait for it to finish, or use another --db"
        case .lockedByOtherProgram(let path, let holders):
            "'\(path)' is locked by another program, not an stsscan scan ("
                + (holders.isEmpty ? "perhaps an open sqlite3 shell, a viewer or a backup in a transaction"
                                   : "open in " + holders.joined(separator: ", "))
                + "): end its transaction or close it, then run again (--resume continues a scan that stored rows)"
        case .failed(let path, let action, let reason):
            "\(action) '\(path)' failed: \(reason)"
        }
    }

    /// The store's view of a SQLite failure on `path`.
    static func from(_ error: Error, path: String, action: String) -> Error {
        if error is StoreError { return error }
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_FULL: return StoreError.diskFull(path)
        case .SQLITE_NOTADB: return StoreError.notADatabase(path)
        // Scans exclude each other by their `.lock` file (`ScanLock`) before SQLite is asked:
        // a SQLite lock still held after the busy timeout is another program's.
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.lockedByOtherProgram(path: path, holders: LockHolders.describe(path))
        case .SQLITE_READONLY: return StoreError.failed(path: path, action: action, reason: "the file or its folder is read-only")
        case .SQLITE_CANTOPEN:
            return StoreError.failed(path: path, action: action,
                                     reason: "cannot open the file (does its folder exist, and may you write there?)")
        case .SQLITE_IOERR:
            // An I/O error with ENOSPC is a full disk too (SQLite reports some as IOERR_WRITE).
            if error.extendedResultCode == .SQLITE_IOERR_WRITE || error.extendedResultCode == .SQLITE_IOERR_FSYNC {
                return StoreError.failed(path: path, action: action, reason: "the disk reported a write error (full or failing?)")
            }
            return StoreError.failed(path: path, action: action, reason: "input/output error")
        case .SQLITE_CORRUPT:
            return StoreError.failed(path: path, action: action, reason: "the database file is damaged")
        case .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError.failed(path: path, action: action, reason: "permission denied")
        default:
            // Constraint failures and misuse are stsscan bugs, not the user's to act on:
            // they keep SQLite's own words for the bug report.
            return error
        }
    }
}
