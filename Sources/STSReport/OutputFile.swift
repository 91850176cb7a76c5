import Foundation
import STSStore
#if canImport(Glibc)
import Glibc
#endif

/// Where every output of stsscan is opened (`report --out`/`--export`, `export --out`,
/// `scan --jsonl`), under one set of rules checked before anything is created or truncated:
/// only regular files are written (a symbolic link is followed and its target written);
/// FIFOs, devices, sockets, directories and dangling links are refused; and no output may
/// name a database's files (`DatabaseFiles.conflict`: the databases the command uses, the
/// `-wal`/`-shm`/`-journal`/`.lock` of any SQLite file, or another SQLite database).
///
/// A whole output (`write`, `replacement`) goes to a temporary file beside the target that
/// replaces it only once complete, so a full disk or a kill leaves the previous output as
/// it was; it keeps the old file's permissions (and owner, where allowed), not its inode.
/// A stream (`open`, for `scan --jsonl`) is written in place, so it can be followed.
public enum OutputFile {
    /// Writes `text` to `path` as a whole (see above); `protected` are the databases the
    /// command reads or writes.
    public static func write(_ text: String, to path: String, protecting protected: [String] = []) throws {
        let file = try replacement(for: path, protecting: protected)
        try file.write(Array(text.utf8)[...])
        try file.commit()
    }

    /// A temporary file that replaces `path` on `commit()` (removed when dropped uncommitted).
    public static func replacement(for path: String, protecting protected: [String] = []) throws -> ReplacementFile {
        let existing = try check(path, protecting: protected)
        return try ReplacementFile(replacing: path, existing: existing)
    }

    /// Opens `path` for writing in place under the rules above (truncated when it exists)
    /// and returns the descriptor, which the caller closes.
    public static func open(_ path: String, protecting protected: [String] = []) throws -> Int32 {
        let existing = try check(path, protecting: protected)
        let flags = existing != nil ? (O_WRONLY | O_TRUNC | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
        let fd = Glibc.open(path, flags, 0o666)
        guard fd >= 0 else { throw ReportError.output(path, reason(errno)) }
        // The file that was opened must still be the one checked (no swap in between).
        var opened = stat()
        guard fstat(fd, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG,
              existing.map({ opened.st_dev == $0.st_dev && opened.st_ino == $0.st_ino }) ?? true else {
            close(fd)
            throw ReportError.output(path, "the file changed while it was opened; try again")
        }
        return fd
    }

    /// The rules above: throws when `path` may not be written; returns its status when it
    /// exists (a regular file), nil when it is new.
    static func check(_ path: String, protecting protected: [String]) throws -> stat? {
        var status = stat()
        let exists = stat(path, &status) == 0  // follows a symbolic link to its target
        if exists {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw ReportError.output(path, "it is a directory; give a file path")
            default:
                throw ReportError.output(path, "it is not a regular file (a device, FIFO or socket); give a file path")
            }
        } else {
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                throw ReportError.output(path, "it is a symbolic link to a missing file; give a file path")
            }
        }
        if let conflict = DatabaseFiles.conflict(writing: path, databases: protected) {
            throw ReportError.output(path, conflict + "; stsscan never writes over a database's files: give another file")
        }
        return exists ? status : nil
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); `path` names it in errors.
    public static func write(_ bytes: ArraySlice<UInt8>, to fd: Int32, path: String) throws {
        var bytes = bytes
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw ReportError.output(path, reason(errno))
            }
            bytes = bytes.dropFirst(written)
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "its folder does not exist; create it first"
        case EACCES, EPERM: "permission denied"
        case ENOSPC, EDQUOT: "the disk is full"
        case EROFS: "the file system is read-only"
        default: String(cString: strerror(code))
        }
    }
}
