/// The `sts-policy-mx-value = ["*."] Domain` rule of RFC 8461 §3.2: an LDH host name
/// (A-labels for IDN, no trailing dot), optionally preceded by one whole-label wildcard.
/// Spec: rfc8461-8460-rules.md §3.
public enum MXPatternSyntax {
    /// Why `pattern` is not a valid mx pattern, or `nil` when it is.
    public static func problem(_ pattern: String) -> String? {
        problem(Array(pattern.utf8)[...])
    }

    static func problem(_ pattern: ArraySlice<UInt8>) -> String? {
        if pattern.isEmpty { return "empty pattern" }
        let domain = ASCII.hasPrefix(pattern, "*.") ? pattern.dropFirst(2) : pattern
        if domain.contains(ASCII.star) {
            return "a wildcard is allowed only as the whole first label \"*.\""
        }
        if domain.contains(where: { $0 >= 0x80 }) {
            let text = String(decoding: pattern, as: UTF8.self)
            if let ascii = IDNA.toASCII(text) {
                return "U-labels are not allowed; write \"\(DetailText.sanitize(ascii))\""
            }
            return "not an LDH host name (non-ASCII that is not a valid IDN)"
        }
        if domain.last == ASCII.dot { return "no trailing dot is allowed" }
        if let reason = HostnameSyntax.problem(domain) { return reason.explanation }
        return nil
    }
}
