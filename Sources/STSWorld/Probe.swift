import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Readiness checks on loopback: a DNS query over UDP and a TCP connect.
enum Probe {
    /// Sends `name SOA` to `ip:port` and returns the response code, or nil on no answer
    /// within `timeoutMs`. Only answers with the authoritative or recursion-available
    /// shape of a real reply are accepted.
    static func dnsRcode(ip: String, port: Int, name: String, timeoutMs: Int = 500) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, ip, &address.sin_addr) == 1 else { return nil }
        let id = UInt16.random(in: 1...UInt16.max)
        var query: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            query.append(UInt8(label.utf8.count))
            query += Array(label.utf8)
        }
        query += [0, 0, 6, 0, 1]
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == query.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { return nil }
            if count >= 12, buffer[0] == UInt8(id >> 8), buffer[1] == UInt8(id & 0xFF), buffer[2] & 0x80 != 0 {
                return Int(buffer[3] & 0x0F)
            }
        }
        return nil
    }

    /// True when a TCP connection to `ip:port` (IPv4 or IPv6) is accepted within `timeoutMs`.
    static func tcpConnects(ip: String, port: Int, timeoutMs: Int = 500) -> Bool {
        withSocket(ip: ip, port: port, type: Int32(SOCK_STREAM.rawValue)) { fd, address, length in
            var timeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return connect(fd, address, length) == 0
        } ?? false
    }
}
