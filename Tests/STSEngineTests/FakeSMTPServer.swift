import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A scripted plain-text SMTP listener for what a real MTA will not do: 5xx greetings,
/// replies split across packets, endless EHLO replies, a greeting that never comes. Each
/// accepted connection runs `script` on its own thread with the socket; the listener
/// stops with `stop()`. (The TLS outcomes are tested against a real Postfix.)
final class FakeSMTPServer: Sendable {
    private let fd: Int32
    private let stopped = Atomic<Bool>(false)
    private let accepting: Bool

    /// `accept: false` makes a tarpit: the kernel completes handshakes up to the backlog
    /// and nothing is ever read or sent.
    init(address: String, accept: Bool = true, script: @escaping @Sendable (Int32) -> Void) throws {
        // An IPv6 literal (`::1`) listens on IPv6 only.
        let ipv6 = address.contains(":")
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if ipv6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = UInt16(25).bigEndian
            inet_pton(AF_INET6, address, &sin6.sin6_addr)
            bound = withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = UInt16(25).bigEndian
            inet_pton(AF_INET, address, &sin.sin_addr)
            bound = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw TestFailure("fake SMTP on \(address): errno \(errno)") }
        self.fd = fd
        accepting = accept
        guard accept else { return }
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .sequentiallyConsistent) {
                let client = Glibc.accept(fd, nil, nil)
                if client < 0 { break }
                Thread.detachNewThread {
                    script(client)
                    close(client)
                }
            }
        }
    }

    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    // MARK: Script helpers

    static func send(_ fd: Int32, _ text: String) {
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one command line (up to CRLF); nil when the peer closed.
    static func readLine(_ fd: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            if byte != UInt8(ascii: "\r") { line.append(byte) }
        }
        return nil
    }
}
