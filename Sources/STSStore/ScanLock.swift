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

    /// Takes the lock for `databasePath`, or throws `StoreError.busy`.
    public init(databasePath: String) throws {
        let lockPath = databasePath + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.failed(path: lockPath, action: "creating the scan lock",
                                    reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError.busy(databasePath)
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
