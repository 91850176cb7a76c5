import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The next version of an output file, written to a temporary file in the target's folder
/// and renamed over the target only when whole (`commit`): until then, and after any
/// failure, the previous output is untouched and the temporary file is removed. A symbolic
/// link stays a link (its target is replaced); the new file gets the old one's permission
/// bits and owner (where the process may set them), else the usual 0666 less the umask.
/// Made by `OutputFile.replacement`, which checks the path first.
public final class ReplacementFile {
    /// The path as given (named in errors).
    public let path: String
    /// The file the rename replaces: `path` with symbolic links resolved.
    private let target: String
    private let temporary: String
    private var fd: Int32
    private var committed = false

    init(replacing path: String, existing: stat?) throws {
        self.path = path
        target = existing != nil ? (Self.realPath(path) ?? path) : path
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        // Hidden and named after the target, so one left by kill -9 says what it was.
        var fd: Int32 = -1
        var name = ""
        for _ in 0..<16 {
            name = URL(fileURLWithPath: folder)
                .appendingPathComponent(".\(url.lastPathComponent).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp").path
            fd = Glibc.open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)  // the umask applies
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw ReportError.output(path, OutputFile.reason(errno)) }
        if let existing {
            _ = fchown(fd, existing.st_uid, existing.st_gid)  // only root may give files away: best effort
            _ = fchmod(fd, existing.st_mode & 0o7777)
        }
        self.fd = fd
        temporary = name
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporary) }
    }

    /// Appends `bytes` to the new version.
    public func write(_ bytes: ArraySlice<UInt8>) throws {
        try OutputFile.write(bytes, to: fd, path: path)
    }

    /// Puts the new version in place: flushed to the disk first (a delayed allocation can
    /// still fail there), then renamed over the target in one step.
    public func commit() throws {
        precondition(!committed, "committed twice")
        guard fsync(fd) == 0 else { throw ReportError.output(path, OutputFile.reason(errno)) }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else { throw ReportError.output(path, OutputFile.reason(errno)) }
        guard rename(temporary, target) == 0 else { throw ReportError.output(path, OutputFile.reason(errno)) }
        committed = true
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
