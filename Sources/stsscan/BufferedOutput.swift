import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Standard output in 64 KiB writes (one write per row would cost a system call per row).
/// A closed pipe (`sql ... | head`) ends the output quietly with an error the caller ignores.
final class BufferedOutput {
    private var buffer: [UInt8] = []
    private static let limit = 1 << 16

    init() { buffer.reserveCapacity(Self.limit) }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.limit { try flush() }
    }

    func flush() throws {
        var start = 0
        while start < buffer.count {
            let written = buffer[start...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                buffer.removeAll(keepingCapacity: true)
                throw CLIError("writing to standard output failed: \(String(cString: strerror(errno)))")
            }
            start += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
