@testable import STSEngine

/// Crafts DNS response messages byte by byte for the parser tests, including broken ones.
struct DNSWireBuilder {
    var bytes: [UInt8] = []

    init(id: UInt16 = 0x1234, rcode: UInt8 = 0, truncated: Bool = false, qd: Int = 1, an: Int, ns: Int = 0, ar: Int = 0) {
        bytes = [UInt8(id >> 8), UInt8(id & 0xFF), 0x81 | (truncated ? 0x02 : 0), 0x80 | rcode]
        for count in [qd, an, ns, ar] { bytes += [UInt8(count >> 8), UInt8(count & 0xFF)] }
    }

    static func name(_ text: String) -> [UInt8] { DNSQuery.wireName(text)! }

    mutating func question(_ name: String, type: UInt16) {
        bytes += DNSWireBuilder.name(name) + [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
    }

    /// A record whose owner is given as raw wire bytes (so tests can use pointers).
    mutating func record(owner: [UInt8], type: UInt16, rrClass: UInt16 = 1, rdata: [UInt8]) {
        bytes += owner
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(rrClass >> 8), UInt8(rrClass & 0xFF), 0, 0, 1, 0x2C]
        bytes += [UInt8(rdata.count >> 8), UInt8(rdata.count & 0xFF)] + rdata
    }

    mutating func record(_ owner: String, type: UInt16, rdata: [UInt8]) {
        record(owner: DNSWireBuilder.name(owner), type: type, rdata: rdata)
    }

    static func txt(_ strings: [String]) -> [UInt8] {
        strings.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    static func mx(_ preference: UInt16, _ host: String) -> [UInt8] {
        [UInt8(preference >> 8), UInt8(preference & 0xFF)] + name(host)
    }

    /// Pointer to an offset in the message.
    static func pointer(_ offset: Int) -> [UInt8] { [0xC0 | UInt8(offset >> 8), UInt8(offset & 0xFF)] }
}
