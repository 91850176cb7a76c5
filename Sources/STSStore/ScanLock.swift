import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One scan per database at a time: an exclusive `flock` on `<db>.lock` held for the whole
/// scan. A second scan of the same file is refused at once with a clear message instead of
/// both writing (or failing later with "database is locked"). The lock goes with the
/// process, also on kill -9; the small file stays next to the database, like `-wal`.
/// (Not a lock on the database file itself: closing any descriptor of that file would drop
/// SQLite's own POSIX locks on it.)
public final class ScanLock: Sendable {
    private let fd: Int32
    /// Appended to the database's path to name the lock file.
    public static let suffix = ".lock"

    /// Takes the lock for `databasePath`, or throws `StoreError.busy`.
    public init(databasePath: String) throws {
        guard DatabaseIdentity.isFilePath(databasePath) else { throw StoreError.notAFile(databasePath) }
        let lockPath = databasePath + Self.suffix
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = switch errno {
            case ENOENT: "its folder does not exist; create it first"
            case EACCES, EPERM, EROFS: "its folder is not writable"
            default: String(cString: strerror(errno))
            }
            throw StoreError.failed(path: databasePath, action: "opening the database", reason: reason)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError.busy(databasePath)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Whether a scan (or merge) holds the lock of `databasePath` now. Creates nothing:
    /// no lock file means no scan.
    public static func isHeld(databasePath: String) -> Bool {
        let fd = open(databasePath + suffix, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        // A shared lock is refused only while someone holds the exclusive one; ours goes with close.
        return flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }
}
