import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where `export` and `scan --jsonl` write: standard output (`-`) or a regular file under
/// `OutputFile`'s rules (never a database's files). `export --out` writes a replacement
/// that takes the file's place on `commit()` (a failure keeps the previous export);
/// `scan --jsonl` streams into the file itself (`streaming`), truncated when opened, so it
/// can be followed while the scan runs. Buffers up to 64 KiB between writes; `flush()`
/// hands everything to the kernel, so a reader of the stream sees whole lines up to there.
public final class ExportSink {
    /// The path as given, or "standard output".
    public let name: String
    private let fd: Int32
    private let owned: Bool
    private let replacement: ReplacementFile?
    private var buffer: [UInt8] = []
    private static let limit = 1 << 16

    /// `path` nil or `-`: standard output. `databases`: the files the command reads or writes.
    public init(path: String?, protecting databases: [String], streaming: Bool = false) throws {
        if let path, path != "-" {
            if streaming {
                fd = try OutputFile.open(path, protecting: databases)
                replacement = nil
                owned = true
            } else {
                replacement = try OutputFile.replacement(for: path, protecting: databases)
                fd = -1
                owned = false
            }
            name = path
        } else {
            fd = STDOUT_FILENO
            name = "standard output"
            owned = false
            replacement = nil
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
        if let replacement {
            try replacement.write(buffer[...])
        } else {
            try OutputFile.write(buffer[...], to: fd, path: name)
        }
    }

    /// Everything is written: flushes, and puts a replacement file in place of the old one.
    public func commit() throws {
        try flush()
        try replacement?.commit()
    }
}
