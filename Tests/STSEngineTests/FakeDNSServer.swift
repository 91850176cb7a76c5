import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
@testable import STSEngine

/// A tiny scripted UDP DNS server for what NSD will not do: answer a CNAME alone (an
/// authoritative-only server for the first zone), CNAME loops across messages, long
/// chains, and broken messages.
final class FakeDNSServer: Sendable {
    private let fd: Int32
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let ports = Mutex<Set<UInt16>>([])
    /// Queries seen per `lossy<N>.fake` name: the first `dropped` go unanswered (load lost them).
    private let lossySeen = Mutex<[String: Int]>([:])
    private let dropped: Int

    /// Source ports queries came from.
    var sourcePorts: Set<UInt16> { ports.withLock { $0 } }

    /// `dropped`: how many queries for each `lossy*.fake` name are left unanswered.
    init(address: String, port: UInt16 = 53, dropped: Int = 2) throws {
        self.dropped = dropped
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &sin.sin_addr)
        let result = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestFailure("bind fake DNS: errno \(errno)") }
        Thread.detachNewThread { [self] in serve() }
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        while !finished.load(ordering: .sequentiallyConsistent) { usleep(10_000) }
        close(fd)
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var peer = sockaddr_storage()
            var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &peer) { peerPointer in
                peerPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, &buffer, buffer.count, 0, $0, &peerLength)
                }
            }
            guard count > 12 else { continue }
            let port = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
            ports.withLock { _ = $0.insert(port) }
            if let (name, _) = try? DNSReader.name(in: Array(buffer[0..<count]), at: 12), name.hasPrefix("lossy") {
                let seen = lossySeen.withLock { seen in
                    seen[name, default: 0] += 1
                    return seen[name]!
                }
                if seen <= dropped { continue }
            }
            if let (name, _) = try? DNSReader.name(in: Array(buffer[0..<count]), at: 12), name == "slow.fake" {
                usleep(60_000)  // a resolver 60 ms away
            }
            guard let reply = FakeDNSServer.reply(to: Array(buffer[0..<count])) else { continue }
            _ = withUnsafePointer(to: &peer) { peerPointer in
                peerPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, reply, reply.count, 0, $0, peerLength)
                }
            }
        }
        finished.store(true, ordering: .sequentiallyConsistent)
    }

    /// The scripted answers, by query name.
    static func reply(to query: [UInt8]) -> [UInt8]? {
        guard let (name, end) = try? DNSReader.name(in: query, at: 12), end + 4 <= query.count else { return nil }
        let question = Array(query[12..<(end + 4)])
        func message(rcode: UInt8 = 0, answers: [(String, UInt16, [UInt8])], brokenTail: Bool = false) -> [UInt8] {
            var wire = DNSWireBuilder(id: UInt16(query[0]) << 8 | UInt16(query[1]), rcode: rcode, an: answers.count + (brokenTail ? 1 : 0))
            wire.bytes += question
            for (owner, type, rdata) in answers { wire.record(owner, type: type, rdata: rdata) }
            if brokenTail { wire.bytes += [0xC0, 0x0C, 0, 16, 0, 1, 0, 0, 0, 60, 0, 40, 5] }
            return wire.bytes
        }
        func cname(_ target: String) -> [UInt8] { message(answers: [(name, 5, DNSWireBuilder.name(target))]) }
        switch name {
        case "hop1.fake": return cname("hop2.fake")
        case "hop2.fake": return cname("final.fake")
        case "final.fake": return message(answers: [(name, 16, DNSWireBuilder.txt(["done"]))])
        case "loopa.fake": return cname("loopb.fake")
        case "loopb.fake": return cname("loopa.fake")
        case "garbage.fake": return message(answers: [], brokenTail: true)
        case "servfail.fake": return message(rcode: 2, answers: [])
        case "silent.fake": return nil
        case let lossy where lossy.hasPrefix("lossy"): return message(answers: [(name, 16, DNSWireBuilder.txt(["late"]))])
        case "slow.fake": return message(answers: [(name, 16, DNSWireBuilder.txt(["slow"]))])
        default:
            if name.hasPrefix("chain"), name.hasSuffix(".fake"),
               let index = Int(name.dropFirst(5).dropLast(5)) {
                return index < 12 ? cname("chain\(index + 1).fake")
                                  : message(answers: [(name, 16, DNSWireBuilder.txt(["end"]))])
            }
            return message(rcode: 3, answers: [])
        }
    }
}
