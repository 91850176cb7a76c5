// libFuzzer target: the engine's DNS message reader (Sources/STSEngine/DNSMessage.swift).
// Built by scripts/fuzz.sh together with DNSMessage.swift and IPv6Text.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let first: DNSMessage
    do {
        first = try DNSMessage(parsing: bytes)
    } catch {
        return 0   // a DNSParseError is the expected answer to a broken message
    }
    // What a parsed message promises (properties shared with DNSMessageTests.seededMutations).
    fuzzCheck(bytes.count >= 12, "a parsed message has a whole header")
    fuzzCheck(first.id == UInt16(bytes[0]) << 8 | UInt16(bytes[1]), "id is the first header word")
    fuzzCheck(first.rcode == Int(bytes[3] & 0x0F), "rcode is the low nibble of the flags")
    fuzzCheck(first.answers.count == Int(bytes[6]) << 8 | Int(bytes[7]), "one record per ANCOUNT")
    fuzzCheck(first.authority.count == Int(bytes[8]) << 8 | Int(bytes[9]), "one record per NSCOUNT")
    for record in first.answers + first.authority {
        var names = [record.name]
        switch record.data {
        case .cname(let target): names.append(target)
        case .mx(let preference, let host):
            fuzzCheck((0...0xFFFF).contains(preference), "MX preference is 16 bits")
            names.append(host)
        default: break
        }
        for name in names {
            // Escaped presentation form: printable ASCII, lower-case, at most 4 chars per octet.
            fuzzCheck(name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !($0 >= 0x41 && $0 <= 0x5A) },
                      "names are printable, lower-cased ASCII")
            fuzzCheck(name.utf8.count <= 4 * 255, "names stay within 255 wire octets")
        }
    }
    fuzzCheck((try? DNSMessage(parsing: bytes)) == first, "parsing is deterministic")
    return 0
}
