#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import STSEngine

@Suite("loop building blocks")
struct LoopPartsTests {
    /// A peer closing a connection must never end a scan (c-ares writes TCP queries with
    /// `writev`, which raises SIGPIPE): once an engine exists, SIGPIPE is ignored.
    @Test("an engine ignores SIGPIPE")
    func sigpipeIgnored() throws {
        var configuration = EngineConfiguration()
        configuration.resolvers = ["127.0.61.250"]
        let engine = try Engine(configuration: configuration)
        defer { engine.shutdown() }
        var current = sigaction()
        sigaction(SIGPIPE, nil, &current)
        #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
        // And a write to a closed socket comes back as EPIPE instead of killing the process.
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        close(fds[1])
        var byte: UInt8 = 0
        #expect(write(fds[0], &byte, 1) == -1 && errno == EPIPE)
        close(fds[0])
    }

    @Test("ring buffer keeps FIFO order across growth and compaction")
    func ringBuffer() {
        var ring = RingBuffer<Int>()
        var expected = 0
        for value in 0..<5000 {
            ring.append(value)
            if value % 3 == 0 { #expect(ring.popFirst() == expected); expected += 1 }
        }
        #expect(ring.count == 5000 - expected)
        while let value = ring.popFirst() { #expect(value == expected); expected += 1 }
        #expect(expected == 5000)
        #expect(ring.isEmpty)
        ring.append(7); ring.append(8)
        #expect(ring.drain() == [7, 8])
        #expect(ring.isEmpty)
    }

    @Test("token bucket: burst, then the rate")
    func tokenBucket() {
        var bucket = TokenBucket(rate: 100, burst: 5, nowNs: 0)
        var taken = 0
        while bucket.take(nowNs: 0) { taken += 1 }
        #expect(taken == 5)
        let early = bucket.take(nowNs: 9_000_000) // 0.9 tokens after 9 ms
        #expect(!early)
        let onTime = bucket.take(nowNs: 10_000_000)
        #expect(onTime)
        var later = 0
        while bucket.take(nowNs: 1_010_000_000) { later += 1 }
        #expect(later == 5) // capped at the burst
    }

    @Test("host and address checks for CONNECT_TO")
    func hostChecks() {
        #expect(HTTPDriver.isPlainHost("mta-sts.example.com"))
        #expect(!HTTPDriver.isPlainHost("a.test:444"))
        #expect(!HTTPDriver.isPlainHost("a.test/x"))
        #expect(!HTTPDriver.isPlainHost(""))
        #expect(HTTPDriver.isAddress("127.0.61.20"))
        #expect(HTTPDriver.isAddress("::1"))
        #expect(!HTTPDriver.isAddress("localhost"))
    }

    @Test("header lines: Content-Type and Location captured, reset by a new status line")
    func headers() {
        let transfer = Transfer(box: RequestBox(FetchRequest(host: "a", address: "127.0.0.1", port: 443)),
                                host: "a", address: "127.0.0.1", port: 443, maxBody: 10)
        func feed(_ line: String) {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBufferPointer { HeaderLine.apply($0, to: transfer) }
        }
        feed("HTTP/1.1 100 Continue\r\n")
        feed("Content-Type: text/html\r\n")
        feed("HTTP/1.1 301 Moved\r\n")
        feed("content-TYPE:   text/plain; charset=utf-8 \r\n")
        feed("Location: https://b.test/x\r\n")
        feed("Content-Type: text/other\r\n")
        #expect(transfer.contentType == "text/plain; charset=utf-8")
        #expect(transfer.location == "https://b.test/x")
    }
}
