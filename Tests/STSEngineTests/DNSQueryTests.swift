import Testing
@testable import STSEngine

@Suite("DNS query builder")
struct DNSQueryTests {
    @Test("query has RD, one question and an 11-byte EDNS OPT record at the end")
    func layout() throws {
        let query = try #require(DNSQuery.build(name: "_mta-sts.Example.com.", type: .txt))
        #expect(Array(query[0..<12]) == [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
        let name: [UInt8] = [8] + Array("_mta-sts".utf8) + [7] + Array("Example".utf8) + [3] + Array("com".utf8) + [0]
        #expect(Array(query[12..<(12 + name.count)]) == name)
        #expect(Array(query[(12 + name.count)..<(16 + name.count)]) == [0, 16, 0, 1])
        #expect(Array(query.suffix(11)) == [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0])
    }

    @Test("invalid names are refused")
    func invalidNames() {
        #expect(DNSQuery.build(name: "a..b", type: .a) == nil)
        #expect(DNSQuery.build(name: String(repeating: "a", count: 64) + ".test", type: .a) == nil)
        let long = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")
        #expect(DNSQuery.build(name: long, type: .a) == nil)
        #expect(DNSQuery.build(name: ".", type: .a) != nil)
    }

    @Test("canonical form lowercases ASCII and drops the trailing dot")
    func canonical() {
        #expect(DNSQuery.canonical("MTA-STS.Example.COM.") == "mta-sts.example.com")
    }
}
