#if canImport(Glibc)
import Glibc
#endif

extension Probe {
    /// Calls `body` with a socket of the address's family connected to nothing yet, and the
    /// `sockaddr` of `ip:port` (IPv4 or IPv6 literal); nil when `ip` is neither.
    static func withSocket<T>(ip: String, port: Int, type: Int32,
                              _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> T) -> T? {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, ip, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            let fd = socket(AF_INET, type, 0)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var v6 = sockaddr_in6()
        guard inet_pton(AF_INET6, ip, &v6.sin6_addr) == 1 else { return nil }
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        let fd = socket(AF_INET6, type, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafePointer(to: &v6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    /// True when this machine has a route to `ip` (a UDP `connect()` succeeds; nothing is
    /// sent): the scanner's rule for trying an IPv6 address (`AddressRoute` in STSEngine).
    static func routeExists(to ip: String) -> Bool {
        withSocket(ip: ip, port: 25, type: Int32(SOCK_DGRAM.rawValue)) { fd, address, length in
            connect(fd, address, length) == 0
        } ?? false
    }
}
