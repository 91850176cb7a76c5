import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25, wrong words: what `resolver start` says when its port is taken (by a resolver,
/// or by a socket that does not answer DNS), how it quotes the stop hint for a folder with
/// a space, and the refusal of a UTF-16 list. Addresses 127.155.53.x.
@Suite(.serialized) struct MessagesEndToEndTests {
    static let unbound = ["/usr/sbin/unbound", "/usr/local/sbin/unbound"].contains { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: unbound)) func resolverStartMessages() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan msgs \(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let first = root.appendingPathComponent("first resolver").path
        let second = root.appendingPathComponent("second").path
        let listen = "127.155.53.1:5300"
        let start = try await StsscanBinary.runBlocking(["resolver", "start", first, "--listen", listen, "--forward", "127.155.53.250"])
        #expect(start.status == 0, "\(start.err)")
        defer { _ = try? StsscanBinary.run(["resolver", "stop", first]) }
        #expect(start.out.contains("stop with: stsscan resolver stop '\(first)'"), "\(start.out)")

        let again = try await StsscanBinary.runBlocking(["resolver", "start", first, "--listen", listen])
        #expect(again.err.contains("run `stsscan resolver stop '\(first)'` first"), "\(again.err)")

        let taken = try await StsscanBinary.runBlocking(["resolver", "start", second, "--listen", listen])
        #expect(taken.status != 0)
        #expect(taken.err.contains("the port is in use") && taken.err.contains("--listen IP:PORT"), "\(taken.err)")
        #expect(!taken.err.contains("this world") && !taken.err.contains("--address-block"), "\(taken.err)")

        // A UDP socket that answers nothing: Unbound itself fails to bind and says so on its
        // standard error, which the message must point at.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(5301).bigEndian
        inet_pton(AF_INET, "127.155.53.2", &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        let failed = try await StsscanBinary.runBlocking(["resolver", "start", second, "--listen", "127.155.53.2:5301"])
        #expect(failed.status != 0)
        #expect(failed.err.contains("\(second)/unbound.out"), "\(failed.err)")
        #expect(failed.err.contains("ddress already in use") || failed.err.contains("could not open"), "\(failed.err)")
    }

    @Test func utf16ListIsRefused() async throws {
        let list = try StsscanBinary.temporaryFile([0xFF, 0xFE] + Array("example.com\nexample.org\n".data(using: .utf16LittleEndian)!))
        defer { try? FileManager.default.removeItem(atPath: list) }
        let db = list + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let scan = try await StsscanBinary.runBlocking(["scan", list, "--db", db, "--resolver", "127.0.0.1:9", "--quiet"])
        #expect(scan.status != 0)
        #expect(scan.err.contains("is not UTF-8: it starts with a UTF-16 byte order mark"), "\(scan.err)")
    }
}
