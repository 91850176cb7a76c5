#if canImport(Glibc)
import Glibc
#endif

/// Whether this machine can send to an address at all, judged as the kernel does: a UDP
/// socket `connect()` picks a route and a source address without sending anything, and
/// fails (`ENETUNREACH`, `EADDRNOTAVAIL`, `EAFNOSUPPORT`) when there is none. A sender
/// without an IPv6 route never tries AAAA addresses; a scanner on such a machine must say
/// so instead of reporting a connection failure (`mx-host-ipv6-only`).
public enum AddressRoute {
    /// True when a datagram to `address` (an IPv4 or IPv6 literal) would leave this machine.
    public static func exists(to address: String, port: UInt16 = 25) -> Bool {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connects(AF_INET, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var v6 = sockaddr_in6()
        guard inet_pton(AF_INET6, address, &v6.sin6_addr) == 1 else { return false }
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        return withUnsafePointer(to: &v6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connects(AF_INET6, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    private static func connects(_ family: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Bool {
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return connect(fd, address, length) == 0
    }
}
