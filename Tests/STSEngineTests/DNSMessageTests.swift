import Testing
@testable import STSEngine

@Suite("DNS message parser")
struct DNSMessageTests {
    @Test("TXT: character-strings of one record are joined, records stay apart")
    func txtRecords() throws {
        var wire = DNSWireBuilder(an: 2)
        wire.question("_mta-sts.example.com", type: 16)
        wire.record(owner: DNSWireBuilder.pointer(12), type: 16, rdata: DNSWireBuilder.txt(["v=STSv1; ", "id=1;"]))
        wire.record(owner: DNSWireBuilder.pointer(12), type: 16, rdata: DNSWireBuilder.txt(["other"]))
        let message = try DNSMessage(parsing: wire.bytes)
        #expect(message.id == 0x1234)
        #expect(message.rcode == 0)
        #expect(message.answers.map(\.name) == ["_mta-sts.example.com", "_mta-sts.example.com"])
        #expect(message.answers[0].data == .txt(Array("v=STSv1; id=1;".utf8)))
        #expect(message.answers[1].data == .txt(Array("other".utf8)))
    }

    @Test("empty TXT record and zero-length character-string")
    func emptyTXT() throws {
        var wire = DNSWireBuilder(an: 2)
        wire.question("a.test", type: 16)
        wire.record("a.test", type: 16, rdata: [])
        wire.record("a.test", type: 16, rdata: [0])
        let message = try DNSMessage(parsing: wire.bytes)
        #expect(message.answers.map(\.data) == [.txt([]), .txt([])])
    }

    @Test("TXT character-string running past its record is rejected")
    func txtOverrun() {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 16)
        wire.record("a.test", type: 16, rdata: [5, 65, 66]) // claims 5 bytes, has 2
        #expect(throws: DNSParseError.badRData(16)) { try DNSMessage(parsing: wire.bytes) }
    }

    @Test("MX, A, AAAA and CNAME data, names lowercased, compression followed")
    func recordTypes() throws {
        var wire = DNSWireBuilder(an: 5)
        wire.question("Example.COM", type: 15)
        wire.record(owner: DNSWireBuilder.pointer(12), type: 15, rdata: DNSWireBuilder.mx(10, "MX1.Example.com"))
        // "mx2" + pointer to "Example.COM" (the question name at offset 12)
        wire.record(owner: DNSWireBuilder.pointer(12), type: 15, rdata: [0, 20, 3] + Array("mx2".utf8) + DNSWireBuilder.pointer(12))
        wire.record("a.test", type: 1, rdata: [127, 0, 61, 10])
        wire.record("a.test", type: 28, rdata: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
        wire.record("www.test", type: 5, rdata: DNSWireBuilder.name("Target.Test."))
        let message = try DNSMessage(parsing: wire.bytes)
        #expect(message.answers[0].name == "example.com")
        #expect(message.answers[0].data == .mx(preference: 10, host: "mx1.example.com"))
        #expect(message.answers[1].data == .mx(preference: 20, host: "mx2.example.com"))
        #expect(message.answers[2].data == .a("127.0.61.10"))
        #expect(message.answers[3].data == .aaaa("2001:db8::1"))
        #expect(message.answers[4].data == .cname("target.test"))
    }

    @Test("null MX (RFC 7505) has the root as host")
    func nullMX() throws {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 15)
        wire.record("a.test", type: 15, rdata: [0, 0, 0])
        #expect(try DNSMessage(parsing: wire.bytes).answers[0].data == .mx(preference: 0, host: ""))
    }

    @Test("a compression pointer to itself is rejected, not followed forever")
    func selfPointer() {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 1)
        let at = wire.bytes.count
        wire.record(owner: DNSWireBuilder.pointer(at), type: 1, rdata: [1, 2, 3, 4])
        #expect(throws: DNSParseError.badPointer) { try DNSMessage(parsing: wire.bytes) }
    }

    @Test("two pointers pointing at each other are rejected")
    func pointerLoop() {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 1)
        // Owner at offset `at`: label "x", then pointer to `at + 4`, which points back to `at`.
        let at = wire.bytes.count
        wire.bytes += [1, UInt8(ascii: "x")] + DNSWireBuilder.pointer(at + 4) + DNSWireBuilder.pointer(at)
        wire.bytes += [0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]
        #expect(throws: DNSParseError.self) { try DNSMessage(parsing: wire.bytes) }
    }

    @Test("a forward pointer is rejected")
    func forwardPointer() {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 1)
        wire.record(owner: DNSWireBuilder.pointer(400), type: 1, rdata: [1, 2, 3, 4])
        #expect(throws: DNSParseError.badPointer) { try DNSMessage(parsing: wire.bytes) }
    }

    @Test("a name longer than 255 octets is rejected")
    func longName() {
        var wire = DNSWireBuilder(an: 0)
        let label = [UInt8(63)] + [UInt8](repeating: UInt8(ascii: "a"), count: 63)
        wire.bytes += label + label + label + label + [0, 0, 1, 0, 1]
        #expect(throws: DNSParseError.nameTooLong) { try DNSMessage(parsing: wire.bytes) }
    }

    @Test("every truncation of a valid message fails cleanly")
    func truncations() throws {
        var wire = DNSWireBuilder(an: 2)
        wire.question("_mta-sts.example.com", type: 16)
        wire.record(owner: DNSWireBuilder.pointer(12), type: 5, rdata: DNSWireBuilder.name("x.example.net"))
        wire.record("x.example.net", type: 16, rdata: DNSWireBuilder.txt(["v=STSv1; id=1;"]))
        _ = try DNSMessage(parsing: wire.bytes)
        for length in 0..<wire.bytes.count {
            #expect(throws: DNSParseError.self) { try DNSMessage(parsing: Array(wire.bytes.prefix(length))) }
        }
    }

    @Test("random garbage never crashes the parser")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<120, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 3 { bytes[2] |= 0x80 }
            _ = try? DNSMessage(parsing: bytes)
        }
    }

    @Test("wrong-size A and AAAA data, queries (QR=0) and extended label types are rejected")
    func malformedData() {
        var a = DNSWireBuilder(an: 1)
        a.question("a.test", type: 1)
        a.record("a.test", type: 1, rdata: [1, 2, 3])
        #expect(throws: DNSParseError.badRData(1)) { try DNSMessage(parsing: a.bytes) }
        var aaaa = DNSWireBuilder(an: 1)
        aaaa.question("a.test", type: 28)
        aaaa.record("a.test", type: 28, rdata: [1, 2, 3, 4])
        #expect(throws: DNSParseError.badRData(28)) { try DNSMessage(parsing: aaaa.bytes) }
        var query = DNSWireBuilder(an: 0)
        query.bytes[2] = 0x01
        #expect(throws: DNSParseError.notAResponse) { try DNSMessage(parsing: query.bytes) }
        var extended = DNSWireBuilder(an: 0)
        extended.bytes += [0x41, 0, 0, 1, 0, 1]
        #expect(throws: DNSParseError.badLabel) { try DNSMessage(parsing: extended.bytes) }
    }

    @Test("dots, backslashes and non-printable octets inside labels are escaped")
    func escapes() throws {
        var wire = DNSWireBuilder(an: 1)
        wire.question("a.test", type: 1)
        wire.record(owner: [3, UInt8(ascii: "a"), UInt8(ascii: "."), 0x07, 4] + Array("TEST".utf8) + [0], type: 1, rdata: [1, 2, 3, 4])
        #expect(try DNSMessage(parsing: wire.bytes).answers[0].name == "a\\046\\007.test")
    }

    @Test("IPv6 text follows RFC 5952")
    func ipv6Text() {
        func format(_ groups: [UInt16]) -> String {
            IPv6Text.format(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
        #expect(format([0, 0, 0, 0, 0, 0, 0, 1]) == "::1")
        #expect(format([0, 0, 0, 0, 0, 0, 0, 0]) == "::")
        #expect(format([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]) == "2001:db8::1:0:0:1")
        #expect(format([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]) == "2001:db8:0:1:1:1:1:1")
        #expect(format([0xfe80, 0, 0, 0, 0, 0, 0, 0]) == "fe80::")
    }
}
