#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import STSCore

/// Reads a lint input file (or standard input for "-") as raw bytes, with a size cap so
/// that `lint policy /dev/zero` ends with a clear error instead of exhausting memory.
enum LintFileReader {
    /// The most `lint` reads at all (far above `PolicyParser.maxBodyBytes`, so an oversized
    /// policy is still parsed and reported, not refused).
    static let readLimit = 16 * 1024 * 1024

    /// Why a file could not be read; `description` is the message the user sees.
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) throws(ReadError) -> [UInt8] {
        let name = path == "-" ? "standard input" : "'\(path)'"
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ReadError(description: "cannot open \(name): \(errnoText())") }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "cannot read \(name): \(errnoText())")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > readLimit {
                throw ReadError(description: "\(name) is larger than \(readLimit / 1024 / 1024) MiB; a policy is at most \(PolicyParser.maxBodyBytes / 1024) KiB")
            }
        }
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
