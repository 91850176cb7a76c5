#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered append-only file (stdio with a 1 MiB buffer), so million-line zone files
/// stream to disk instead of being built in memory.
final class FileSink {
    private let file: UnsafeMutablePointer<FILE>
    let path: String

    init(path: String) throws {
        guard let file = fopen(path, "w") else { throw WorldError.io("cannot write \(path): errno \(errno)") }
        setvbuf(file, nil, _IOFBF, 1 << 20)
        self.file = file
        self.path = path
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    func close() throws {
        let flushed = fflush(file) == 0 && ferror(file) == 0
        fclose(file)
        if !flushed { throw WorldError.io("write error on \(path)") }
    }

    /// Writes a whole file at once.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let sink = try FileSink(path: path)
        sink.write(bytes: bytes)
        try sink.close()
    }

    /// `mkdir -p` for one level whose parent exists; an existing directory is fine.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw WorldError.io("cannot create \(path): errno \(errno)")
        }
    }
}
