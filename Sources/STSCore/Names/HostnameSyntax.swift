/// The host-name rules shared by input names (`DomainName`) and policy mx patterns:
/// RFC 5321 `Domain` (LDH labels: letter/digit, inner hyphens) with the DNS limits of
/// RFC 1035 (labels 1..63 octets, whole name at most 253 characters without the root dot).
enum HostnameSyntax {
    /// Why a dotted ASCII name breaks the rules, or `nil` when it follows them.
    static func problem(_ name: some Collection<UInt8>) -> DomainNameError.Reason? {
        if name.isEmpty { return .empty }
        if name.count > 253 { return .tooLong(name.count) }
        var labelLength = 0
        var previous: UInt8 = ASCII.dot
        for byte in name {
            if byte == ASCII.dot {
                if labelLength == 0 { return .emptyLabel }
                if previous == ASCII.hyphen { return .hyphenAtLabelEdge }
                labelLength = 0
            } else {
                if ASCII.isAlnum(byte) {
                    // fine
                } else if byte == ASCII.hyphen {
                    if labelLength == 0 { return .hyphenAtLabelEdge }
                } else {
                    return .badCharacter(DetailText.sanitize(bytes: [byte]))
                }
                labelLength += 1
                if labelLength > 63 { return .labelTooLong }
            }
            previous = byte
        }
        if labelLength == 0 { return .emptyLabel }
        if previous == ASCII.hyphen { return .hyphenAtLabelEdge }
        return nil
    }
}
