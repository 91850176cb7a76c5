import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a report to a path without damaging what is there: only regular files are
/// written (a symbolic link is followed and its target written), an existing file is
/// written through (it keeps its inode, permissions, owner and other links), a new one is
/// created with the usual permissions, and a path that is (or links to) one of the
/// `protected` files (the database being read, with its `-wal`/`-shm`) is refused.
/// FIFOs, devices, sockets and directories are refused before anything is opened.
public enum OutputFile {
    public static func write(_ text: String, to path: String, protecting protected: [String] = []) throws {
        let fd = try open(path, protecting: protected)
        defer { close(fd) }
        try write(Array(text.utf8)[...], to: fd, path: path)
    }

    /// Opens `path` for writing under the rules above (truncated when it exists) and
    /// returns the descriptor, which the caller closes.
    public static func open(_ path: String, protecting protected: [String] = []) throws -> Int32 {
        var status = stat()
        let exists = stat(path, &status) == 0  // follows a symbolic link to its target
        if exists {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw ReportError.output(path, "it is a directory; give a file path")
            default:
                throw ReportError.output(path, "it is not a regular file (a device, FIFO or socket); give a file path")
            }
            for guarded in protected.flatMap({ [$0, $0 + "-wal", $0 + "-shm"] }) {
                var other = stat()
                if stat(guarded, &other) == 0, other.st_dev == status.st_dev, other.st_ino == status.st_ino {
                    throw ReportError.output(path, "it is the database being read (\(guarded)); give another file")
                }
            }
        } else {
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                throw ReportError.output(path, "it is a symbolic link to a missing file; give a file path")
            }
        }
        let flags = exists ? (O_WRONLY | O_TRUNC | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
        let fd = Glibc.open(path, flags, 0o666)
        guard fd >= 0 else { throw ReportError.output(path, reason(errno)) }
        // The file that was opened must still be the one checked (no swap in between).
        var opened = stat()
        guard fstat(fd, &opened) == 0, (opened.st_mode & S_IFMT) == S_IFREG,
              !exists || (opened.st_dev == status.st_dev && opened.st_ino == status.st_ino) else {
            close(fd)
            throw ReportError.output(path, "the file changed while it was opened; try again")
        }
        return fd
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
        case ENOSPC: "the disk is full"
        case EROFS: "the file system is read-only"
        default: String(cString: strerror(code))
        }
    }
}
