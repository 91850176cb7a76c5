/// Makes control characters visible, so text from the wire cannot drive a terminal (ANSI
/// escape sequences), break a table row (newlines), or reorder what is shown (bidi
/// overrides). C0, DEL and C1 controls become `\n`, `\r`, `\t` or `\xHH`; bidi controls
/// `\u{HHHH}`. Everything else is kept.
public enum VisibleText {
    /// `keepNewlines` leaves LF as is, for multi-line blocks (`<pre>`).
    public static func escape(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && !(keepNewlines && $0 == "\n") }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar), !(keepNewlines && scalar == "\n") else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value <= 0xFF
                    ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                    : "\\u{" + hex + "}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true // bidi marks and overrides
        default: false
        }
    }
}
