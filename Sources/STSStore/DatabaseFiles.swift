import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files a SQLite database is made of: the database, SQLite's `-wal`, `-shm` and
/// `-journal` beside it, and the scan lock `.lock` (`ScanLock`). Writing an output over any
/// of them destroys a survey (a report over `x.sqlite-wal` loses every uncheckpointed row),
/// so every output path is asked about here before anything is opened (`OutputFile`).
public enum DatabaseFiles {
    /// What SQLite and `ScanLock` name after a database's path.
    public static let siblingSuffixes = ["-wal", "-shm", "-journal", ScanLock.suffix]
    /// The first 16 bytes of every SQLite 3 database file.
    public static let header = Array("SQLite format 3\u{0}".utf8)

    /// Why writing `path` would damage a database, in plain words; nil when it would not.
    /// Refused: one of `databases` (the ones the command reads or writes, existing or not)
    /// or one of their sibling files; a sibling of any other SQLite file (`X-wal` where `X`
    /// begins with the SQLite header); a lock file a scan holds; a file that is itself a
    /// SQLite database (another survey). Symbolic links and hard links are seen through.
    public static func conflict(writing path: String, databases: [String]) -> String? {
        let target = FileName(path)
        for database in databases where DatabaseIdentity.isFilePath(database) {
            for suffix in [""] + siblingSuffixes {
                let member = FileName(database + suffix)
                // SQLite names the siblings after the database's resolved path: both names count.
                guard target.isSame(as: member) || target.isSame(as: FileName(FileName(database).resolved + suffix))
                else { continue }
                return suffix.isEmpty
                    ? "it is the database '\(database)'"
                    : "it is \(role(suffix)) of the database '\(database)'"
            }
        }
        for name in Set([path, target.resolved]) {
            for suffix in siblingSuffixes where name.hasSuffix(suffix) && name.count > suffix.count {
                let base = String(name.dropLast(suffix.count))
                if isSQLite(base) { return "it is \(role(suffix)) of the SQLite database '\(base)'" }
                if suffix == ScanLock.suffix, ScanLock.isHeld(databasePath: base) {
                    return "it is the lock of '\(base)', which a running scan holds"
                }
            }
        }
        if isSQLite(path) { return "it is a SQLite database (another survey?)" }
        return nil
    }

    /// Whether the file at `path` (links followed) begins with the SQLite header.
    public static func isSQLite(_ path: String) -> Bool {
        // Only a regular file is opened (opening some devices has effects); O_NONBLOCK in case
        // it became a FIFO meanwhile.
        var before = stat()
        guard stat(path, &before) == 0, (before.st_mode & S_IFMT) == S_IFREG else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        var bytes = [UInt8](repeating: 0, count: header.count)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return count == header.count && bytes == header
    }

    private static func role(_ suffix: String) -> String {
        switch suffix {
        case "-wal": "the write-ahead log"
        case "-shm": "the shared-memory index"
        case "-journal": "the rollback journal"
        default: "the scan lock"
        }
    }

    /// A path compared as the file system sees it, whether or not the file exists yet.
    private struct FileName {
        /// Absolute, with every symbolic link of its folder (and of itself, when it exists) resolved.
        let resolved: String
        let identity: (dev_t, ino_t)?

        init(_ path: String) {
            var status = stat()
            identity = stat(path, &status) == 0 ? (status.st_dev, status.st_ino) : nil
            if let real = Self.realPath(path) {
                resolved = real
            } else {
                let url = URL(fileURLWithPath: path).standardizedFileURL
                let folder = url.deletingLastPathComponent()
                resolved = URL(fileURLWithPath: Self.realPath(folder.path) ?? folder.path)
                    .appendingPathComponent(url.lastPathComponent).path
            }
        }

        func isSame(as other: FileName) -> Bool {
            if let mine = identity, let theirs = other.identity { return mine == theirs }
            return resolved == other.resolved
        }

        static func realPath(_ path: String) -> String? {
            guard let pointer = realpath(path, nil) else { return nil }
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }
}
