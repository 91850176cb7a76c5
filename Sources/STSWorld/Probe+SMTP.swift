import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Probe {
    /// Connects to `ip:port` and returns the first line the server sends (the SMTP
    /// greeting, without CRLF), or nil when the connection fails or nothing complete
    /// arrives within `timeoutMs`.
    static func smtpGreeting(ip: String, port: Int, timeoutMs: Int = 1000) -> String? {
        withSocket(ip: ip, port: port, type: Int32(SOCK_STREAM.rawValue)) { fd, address, length in
            var timeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard connect(fd, address, length) == 0 else { return nil }
            return firstLine(fd, timeoutMs: timeoutMs)
        } ?? nil
    }

    private static func firstLine(_ fd: Int32, timeoutMs: Int) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < deadline, received.count < 4096 {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            received += buffer[0..<count]
            if let end = received.firstIndex(of: UInt8(ascii: "\n")) {
                _ = send(fd, "QUIT\r\n", 6, Int32(MSG_NOSIGNAL))
                let line = received[..<end]
                return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            }
        }
        return nil
    }
}
