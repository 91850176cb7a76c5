import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import STSEngine

/// A DNS server that makes every lookup go over TCP (each UDP answer is TC=1) and then
/// misbehaves there: it closes its first TCP connection after answering `closeFirstAfter`
/// queries (whatever else is waiting on it is lost), and answers `tc.fake` over TCP with
/// TC=1 and no records. Other names get one TXT record "ok".
final class TCPFallbackDNSServer: Sendable {
    private let udp: Int32
    private let tcp: Int32
    private let stopped = Atomic<Bool>(false)
    private let connections = Atomic<Int>(0)
    private let closeFirstAfter: Int

    /// TCP connections accepted so far.
    var connectionCount: Int { connections.load(ordering: .relaxed) }

    init(address: String, closeFirstAfter: Int) throws {
        self.closeFirstAfter = closeFirstAfter
        udp = try Self.bound(address, SOCK_DGRAM)
        tcp = try Self.bound(address, SOCK_STREAM)
        guard listen(tcp, 64) == 0 else { throw TestFailure("listen: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        for fd in [udp, tcp] { setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) }
        Thread.detachNewThread { [self] in serveUDP() }
        Thread.detachNewThread { [self] in acceptTCP() }
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        usleep(300_000)
        close(udp)
        close(tcp)
    }

    private static func bound(_ address: String, _ type: __socket_type) throws -> Int32 {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = UInt16(53).bigEndian
        inet_pton(AF_INET, address, &sin.sin_addr)
        let result = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestFailure("bind \(address):53: errno \(errno)") }
        return fd
    }

    /// The reply to `query`: TC=1 and empty over UDP (and for tc.fake over TCP), else TXT "ok".
    static func reply(to query: [UInt8], overTCP: Bool) -> [UInt8]? {
        guard let (name, end) = try? DNSReader.name(in: query, at: 12), end + 4 <= query.count else { return nil }
        let question = Array(query[12..<(end + 4)])
        let id = UInt16(query[0]) << 8 | UInt16(query[1])
        if !overTCP || name == "tc.fake" {
            var wire = DNSWireBuilder(id: id, truncated: true, an: 0)
            wire.bytes += question
            return wire.bytes
        }
        var wire = DNSWireBuilder(id: id, an: 1)
        wire.bytes += question
        wire.record(name, type: 16, rdata: DNSWireBuilder.txt(["ok"]))
        return wire.bytes
    }

    private func serveUDP() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 12, let reply = Self.reply(to: Array(buffer[0..<count]), overTCP: false) else { continue }
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udp, reply, reply.count, 0, $0, length) }
            }
        }
    }

    private func acceptTCP() {
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let client = accept(tcp, nil, nil)
            guard client >= 0 else { continue }
            let index = connections.add(1, ordering: .relaxed).oldValue
            Thread.detachNewThread { [self] in serveTCP(client, closeAfter: index == 0 ? closeFirstAfter : Int.max) }
        }
    }

    private func serveTCP(_ fd: Int32, closeAfter: Int) {
        defer { close(fd) }
        var answered = 0
        while !stopped.load(ordering: .sequentiallyConsistent) {
            guard let header = readExactly(fd, 2) else { return }
            let length = Int(header[0]) << 8 | Int(header[1])
            guard let query = readExactly(fd, length), let reply = Self.reply(to: query, overTCP: true) else { return }
            let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
            _ = framed.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            answered += 1
            if answered >= closeAfter {
                shutdown(fd, Int32(SHUT_RDWR))  // the resolver gives up on this connection
                return
            }
        }
    }

    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            if stopped.load(ordering: .sequentiallyConsistent) { return nil }
            let n = bytes[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - got, 0) }
            if n == 0 { return nil }
            if n < 0 { if errno == EAGAIN || errno == EINTR { continue }; return nil }
            got += n
        }
        return bytes
    }
}
