import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where `export` and `scan --jsonl` write: standard output (`-`) or a regular file created
/// or truncated under `OutputFile`'s rules (never the database being read or written).
/// Buffers up to 64 KiB between writes; `flush()` hands everything to the kernel, so a
/// reader of the file (or the pipe) sees whole lines up to there.
public final class ExportSink {
    /// The path as given, or "standard output".
    public let name: String
    private let fd: Int32
    private let owned: Bool
    private var buffer: [UInt8] = []
    private static let limit = 1 << 16

    /// `path` nil or `-`: standard output.
    public init(path: String?, protecting databases: [String]) throws {
        if let path, path != "-" {
            fd = try OutputFile.open(path, protecting: databases)
            name = path
            owned = true
        } else {
            fd = STDOUT_FILENO
            name = "standard output"
            owned = false
        }
        buffer.reserveCapacity(Self.limit)
    }

    deinit {
        if owned { close(fd) }
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.limit { try flush() }
    }

    public func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        try OutputFile.write(buffer[...], to: fd, path: name)
    }
}
