/// The address of a `mailto:` report URI: an RFC 6068 `addr-spec`, a local part, "@" and a
/// domain that is a host name or an address literal. Spec: rfc8461-8460-rules.md §6.
enum MailtoAddress {
    /// Why `address` (the part of a `mailto:` URI before any `?`) is not an addr-spec, or
    /// `nil` when it is. `mailto:a@b.com:test` has the domain `b.com:test`: not a host name.
    static func problem(_ address: ArraySlice<UInt8>) -> String? {
        guard let at = address.firstIndex(of: 0x40), at > address.startIndex, at + 1 < address.endIndex else {
            return "mailto: URI without an address"
        }
        let domain = address[(at + 1)...]
        if domain.first == 0x5B {   // "["
            return isAddressLiteral(domain) ? nil : "mailto: address literal is not [IPv4] or [IPv6:...]"
        }
        guard let decoded = percentDecoded(domain) else { return "mailto: domain is not valid UTF-8" }
        let text = String(decoding: decoded, as: UTF8.self)
        guard let ascii = IDNA.toASCII(text) else {
            return "mailto: domain is not a host name (not a valid IDN)"
        }
        if let reason = HostnameSyntax.problem(ascii.utf8) {
            return "mailto: domain is not a host name (\(reason.explanation))"
        }
        return nil
    }

    /// `[d.d.d.d]` (each 0..255) or `[IPv6:` hex, ":" and "." `]`: RFC 5321 §4.1.3 literals.
    static func isAddressLiteral(_ literal: ArraySlice<UInt8>) -> Bool {
        guard literal.count > 2, literal.first == 0x5B, literal.last == 0x5D else { return false }
        let inner = literal.dropFirst().dropLast()
        if ASCII.hasPrefixIgnoringCase(inner, "IPv6:") {
            let address = inner.dropFirst(5)
            let colons = address.filter { $0 == ASCII.colon }.count
            return colons >= 2 && colons <= 7
                && address.allSatisfy { ASCII.isHex($0) || $0 == ASCII.colon || $0 == ASCII.dot }
        }
        let parts = inner.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(ASCII.isDigit)
                && (Int(String(decoding: part, as: UTF8.self)) ?? 256) <= 255
        }
    }

    /// `%XX` escapes decoded (the caller checked each "%" has two hex digits); `nil` when
    /// the result is not UTF-8.
    private static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == ASCII.percent, i + 2 < bytes.endIndex,
               let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return Array(String(decoding: out, as: UTF8.self).utf8) == out ? out : nil
    }
}
