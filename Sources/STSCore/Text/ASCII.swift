/// Byte classes of the RFC 5234 core rules, used by every parser here. The grammars of
/// RFC 8461 and RFC 8460 are ASCII; parsing bytes keeps them exact and linear.
enum ASCII {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let dot: UInt8 = 0x2E
    static let hyphen: UInt8 = 0x2D
    static let star: UInt8 = 0x2A
    static let percent: UInt8 = 0x25

    /// WSP = SP / HTAB.
    @inline(__always) static func isWSP(_ b: UInt8) -> Bool { b == space || b == tab }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }

    /// `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`: the extension-name rule shared
    /// by the STS record, the policy and the TLS-RPT record.
    static func isExtensionName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first, isAlnum(first), name.count <= 32 else { return false }
        return name.allSatisfy { isAlnum($0) || $0 == 0x5F || $0 == hyphen || $0 == dot }
    }

    /// `1*(%x21-3A / %x3C / %x3E-7E)`: the record extension-value rule (no space, "=" or ";").
    static func isRecordExtensionValue(_ value: ArraySlice<UInt8>) -> Bool {
        !value.isEmpty && value.allSatisfy { ($0 >= 0x21 && $0 <= 0x7E) && $0 != semicolon && $0 != equals }
    }

    /// Case-insensitive ASCII prefix test on bytes.
    static func hasPrefixIgnoringCase(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard bytes.count >= p.count else { return false }
        return zip(bytes, p).allSatisfy { lower($0) == lower($1) }
    }

    /// Case-sensitive ASCII prefix test on bytes.
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard bytes.count >= p.count else { return false }
        return zip(bytes, p).allSatisfy { $0 == $1 }
    }

    /// Whether `needle` occurs anywhere in `bytes` (case-sensitive).
    static func contains(_ bytes: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty, bytes.count >= n.count else { return n.isEmpty }
        var i = bytes.startIndex
        let last = bytes.endIndex - n.count
        while i <= last {
            if bytes[i] == n[0] && bytes[i..<(i + n.count)].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }
}
