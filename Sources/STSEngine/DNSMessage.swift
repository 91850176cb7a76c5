/// A bounds-checked reader of DNS messages (RFC 1035 §4), enough for what the engine asks:
/// header, answer and authority sections, with CNAME, TXT, MX, A, AAAA and SOA data.
///
/// Every read is checked against the message length; compression pointers must point
/// strictly backwards (so they cannot loop) and names are limited to 255 octets, so a
/// hostile or truncated message yields `DNSParseError`, never a crash or a hang.
struct DNSMessage: Sendable, Equatable {
    /// One resource record of the answer or authority section.
    struct Record: Sendable, Equatable {
        /// Owner name, ASCII-lowercased, no trailing dot (`""` for the root).
        let name: String
        let type: UInt16
        let rrClass: UInt16
        let data: RData
    }

    /// Record data, decoded for the types the engine uses.
    enum RData: Sendable, Equatable {
        case a(String)
        case aaaa(String)
        case cname(String)
        case mx(preference: Int, host: String)
        /// The record's character-strings concatenated.
        case txt([UInt8])
        case soa
        case other
    }

    let id: UInt16
    let rcode: Int
    let truncated: Bool
    let answers: [Record]
    let authority: [Record]

    static let typeCNAME: UInt16 = 5
    static let typeSOA: UInt16 = 6
    static let classIN: UInt16 = 1

    init(parsing bytes: [UInt8]) throws(DNSParseError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.u16()
        let flags = try reader.u16()
        guard flags & 0x8000 != 0 else { throw .notAResponse }
        rcode = Int(flags & 0x000F)
        truncated = flags & 0x0200 != 0
        let qdcount = Int(try reader.u16())
        let ancount = Int(try reader.u16())
        let nscount = Int(try reader.u16())
        _ = try reader.u16() // arcount: the additional section is not needed
        for _ in 0..<qdcount {
            try reader.skipName()  // c-ares has already matched the question to the query
            try reader.skip(4)
        }
        var answers: [Record] = []
        answers.reserveCapacity(min(ancount, 64))
        for _ in 0..<ancount { answers.append(try reader.record()) }
        var authority: [Record] = []
        for _ in 0..<nscount { authority.append(try reader.record()) }
        self.answers = answers
        self.authority = authority
    }
}

/// Why a DNS message could not be read.
enum DNSParseError: Error, Sendable, Equatable {
    case truncated
    case notAResponse
    case badPointer
    case nameTooLong
    case badLabel
    case badRData(UInt16)
}

/// A cursor over a message; all reads are bounds-checked.
struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() throws(DNSParseError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(DNSParseError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw .truncated }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() throws(DNSParseError) -> UInt32 {
        let high = try u16()
        return UInt32(high) << 16 | UInt32(try u16())
    }

    mutating func skip(_ count: Int) throws(DNSParseError) {
        guard count >= 0, offset + count <= bytes.count else { throw .truncated }
        offset += count
    }

    /// Moves the cursor past a name without decoding it (a compression pointer ends it).
    mutating func skipName() throws(DNSParseError) {
        var wireLength = 0
        while true {
            let length = try u8()
            switch length & 0xC0 {
            case 0x00:
                if length == 0 { return }
                wireLength += Int(length) + 1
                guard wireLength <= 255 else { throw .nameTooLong }
                try skip(Int(length))
            case 0xC0:
                _ = try u8()
                return
            default:
                throw .badLabel
            }
        }
    }

    /// Reads a possibly compressed name at the cursor and leaves the cursor after it.
    mutating func name() throws(DNSParseError) -> String {
        let (text, end) = try DNSReader.name(in: bytes, at: offset)
        offset = end
        return text
    }

    /// Decodes a name starting at `start`; returns it and the offset just after its
    /// in-place part. Each pointer must go strictly below the position it was read at, so
    /// the walk always terminates.
    static func name(in bytes: [UInt8], at start: Int) throws(DNSParseError) -> (String, Int) {
        var text: [UInt8] = []
        var wireLength = 0
        var position = start
        var end: Int? = nil
        var lowestAllowed = start // pointers must land below this
        while true {
            guard position < bytes.count else { throw .truncated }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    if end == nil { end = position + 1 }
                    wireLength += 1
                    guard wireLength <= 255 else { throw .nameTooLong }
                    return (String(decoding: text, as: UTF8.self), end!)
                }
                guard position + 1 + length <= bytes.count else { throw .truncated }
                wireLength += 1 + length
                guard wireLength <= 255 else { throw .nameTooLong }
                if !text.isEmpty { text.append(UInt8(ascii: ".")) }
                for byte in bytes[(position + 1)..<(position + 1 + length)] {
                    DNSReader.appendEscaped(byte, to: &text)
                }
                position += 1 + length
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                if end == nil { end = position + 2 }
                guard target < lowestAllowed else { throw .badPointer }
                lowestAllowed = target
                position = target
            default:
                throw .badLabel // 0x40 / 0x80: extended label types (RFC 6891 §5) unsupported
            }
        }
    }

    /// Presentation form of one label byte: ASCII lowercased, `.` `\` and non-printables as
    /// `\DDD` (RFC 1035 §5.1), so distinct wire names stay distinct as text.
    static func appendEscaped(_ byte: UInt8, to text: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            text.append(byte + 32)
        case UInt8(ascii: "."), UInt8(ascii: "\\"):
            text.append(UInt8(ascii: "\\"))
            text.append(contentsOf: Array(String(format3: byte).utf8))
        case 0x21...0x7E:
            text.append(byte)
        default:
            text.append(UInt8(ascii: "\\"))
            text.append(contentsOf: Array(String(format3: byte).utf8))
        }
    }

    mutating func record() throws(DNSParseError) -> DNSMessage.Record {
        let owner = try name()
        let type = try u16()
        let rrClass = try u16()
        _ = try u32() // TTL
        let rdLength = Int(try u16())
        let rdStart = offset
        guard rdStart + rdLength <= bytes.count else { throw .truncated }
        let rdEnd = rdStart + rdLength
        let data: DNSMessage.RData
        switch type {
        case 1:
            guard rdLength == 4 else { throw .badRData(type) }
            data = .a(bytes[rdStart..<rdEnd].map { String($0) }.joined(separator: "."))
        case 28:
            guard rdLength == 16 else { throw .badRData(type) }
            data = .aaaa(IPv6Text.format(Array(bytes[rdStart..<rdEnd])))
        case DNSMessage.typeCNAME:
            let (target, after) = try DNSReader.name(in: bytes, at: rdStart)
            guard after == rdEnd else { throw .badRData(type) }
            data = .cname(target)
        case 15:
            guard rdLength >= 3 else { throw .badRData(type) }
            let preference = Int(bytes[rdStart]) << 8 | Int(bytes[rdStart + 1])
            let (host, after) = try DNSReader.name(in: bytes, at: rdStart + 2)
            guard after == rdEnd else { throw .badRData(type) }
            data = .mx(preference: preference, host: host)
        case 16:
            var joined: [UInt8] = []
            joined.reserveCapacity(rdLength)
            var position = rdStart
            while position < rdEnd {
                let length = Int(bytes[position])
                guard position + 1 + length <= rdEnd else { throw .badRData(type) }
                joined.append(contentsOf: bytes[(position + 1)..<(position + 1 + length)])
                position += 1 + length
            }
            data = .txt(joined)
        case DNSMessage.typeSOA:
            data = .soa
        default:
            data = .other
        }
        offset = rdEnd
        return DNSMessage.Record(name: owner, type: type, rrClass: rrClass, data: data)
    }
}

extension String {
    /// Three-digit decimal, as used by `\DDD` escapes.
    fileprivate init(format3 byte: UInt8) {
        let digits = String(byte)
        self = String(repeating: "0", count: 3 - digits.count) + digits
    }
}
