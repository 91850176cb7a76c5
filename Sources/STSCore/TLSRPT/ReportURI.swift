/// The `tlsrpt-uri` rule of RFC 8460 §3: an RFC 3986 URI with scheme `mailto` or `https`,
/// in which ",", "!" and ";" must be percent-encoded. Spec: rfc8461-8460-rules.md §6.
enum ReportURI {
    /// Why `uri` is not a usable report URI, or `nil` when it is.
    static func problem(_ uri: ArraySlice<UInt8>) -> String? {
        if uri.isEmpty { return "empty URI" }
        var i = uri.startIndex
        while i < uri.endIndex {
            let b = uri[i]
            if b == ASCII.percent {
                guard i + 2 < uri.endIndex, ASCII.isHex(uri[i + 1]), ASCII.isHex(uri[i + 2]) else {
                    return "\"%\" not followed by two hex digits"
                }
                i += 3
                continue
            }
            if b == 0x21 || b == ASCII.comma || b == ASCII.semicolon {
                return "\"\(Character(Unicode.Scalar(b)))\" must be percent-encoded"
            }
            if !isURICharacter(b) { return "character not allowed in a URI" }
            i += 1
        }
        guard let colon = uri.firstIndex(of: ASCII.colon) else { return "no URI scheme" }
        let scheme = String(decoding: uri[..<colon].map(ASCII.lower), as: UTF8.self)
        let rest = uri[(colon + 1)...]
        switch scheme {
        case "mailto":
            // The address part before any "?hfields": local part "@" host name or literal.
            return MailtoAddress.problem(rest.prefix { $0 != 0x3F })
        case "https":
            guard ASCII.hasPrefix(rest, "//") else { return "https: URI without \"//host\"" }
            let host = rest.dropFirst(2).prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }
            if host.isEmpty { return "https: URI without a host" }
            return nil
        default:
            return "scheme is not mailto: or https:"
        }
    }

    /// RFC 3986 unreserved and reserved characters ("%" is handled by the caller).
    private static func isURICharacter(_ b: UInt8) -> Bool {
        if ASCII.isAlnum(b) { return true }
        switch b {
        case 0x2D, 0x2E, 0x5F, 0x7E: return true                          // - . _ ~
        case 0x3A, 0x2F, 0x3F, 0x23, 0x5B, 0x5D, 0x40: return true        // : / ? # [ ] @
        case 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x3D: return true  // $ & ' ( ) * + =
        default: return false
        }
    }
}
