/// Turns text from the wire into a short, printable finding detail: control characters and
/// invalid UTF-8 are escaped (`\x1b`, `\xff`), bidirectional overrides become `\u{202e}`, and
/// the result is cut to `limit` characters with a trailing "...". Details are what reports
/// and terminals print, so a hostile record must not be able to move the cursor or recolour
/// the screen.
public enum DetailText {
    /// Default length of a quoted value inside a detail.
    public static let defaultLimit = 80

    /// Escapes and truncates a string.
    public static func sanitize(_ text: some StringProtocol, limit: Int = defaultLimit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "..."
                return out
            }
            out += escaped(scalar)
            count += 1
        }
        return out
    }

    /// Decodes bytes as UTF-8 (invalid bytes escaped as `\xNN`), then escapes and truncates.
    /// Unlike `String(decoding:)` this keeps the offending byte visible instead of U+FFFD.
    public static func sanitize(bytes: some Collection<UInt8>, limit: Int = defaultLimit) -> String {
        // `limit` scalars need at most 4 bytes each: never look further than that.
        let window = Array(bytes.prefix(limit * 4 + 4))
        var out = ""
        var count = 0
        var i = 0
        while i < window.count && count < limit {
            let byte = window[i]
            count += 1
            if byte < 0x80 {
                out += escaped(Unicode.Scalar(byte))
                i += 1
                continue
            }
            let length = utf8Length(leading: byte)
            if length > 0, i + length <= window.count,
               let text = String(validating: window[i..<(i + length)], as: UTF8.self),
               let scalar = text.unicodeScalars.first {
                out += escaped(scalar)
                i += length
            } else {
                out += hexByte(byte)
                i += 1
            }
        }
        if i < window.count || bytes.count > window.count { out += "..." }
        return out
    }

    /// Escapes a whole text for a terminal without truncating it (used for values such as
    /// ids and URIs that the CLI prints in full).
    public static func escapeForTerminal(_ text: some StringProtocol) -> String {
        var out = ""
        for scalar in text.unicodeScalars { out += escaped(scalar) }
        return out
    }

    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00...0x1F, 0x7F...0x9F: return hexByte(UInt8(truncatingIfNeeded: scalar.value))
        // Bidirectional embeddings, overrides and isolates can reorder what a reader sees.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
            return "\\u{" + String(scalar.value, radix: 16) + "}"
        default: return String(Character(scalar))
        }
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    private static func utf8Length(leading byte: UInt8) -> Int {
        switch byte {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}
