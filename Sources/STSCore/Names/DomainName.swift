/// Normalisation of a domain name as given by a user (input list entry, lint argument).
public enum DomainName {
    /// The canonical A-label form of `raw`: surrounding whitespace trimmed, lower-cased, one
    /// trailing (root) dot removed, U-labels converted to A-labels; then checked to be LDH
    /// labels of 1..63 characters, at most 253 characters, at least two labels, and not
    /// an all-digit top-level label.
    public static func normalize(_ raw: String) -> Result<String, DomainNameError> {
        var name = Substring(raw)
        while let first = name.unicodeScalars.first, first.properties.isWhitespace { name = name.dropFirst() }
        while let last = name.unicodeScalars.last, last.properties.isWhitespace { name = name.dropLast() }
        if name.hasSuffix(".") { name = name.dropLast() }
        if name.isEmpty { return .failure(DomainNameError(.empty, input: raw)) }
        guard let ascii = IDNA.toASCII(String(name)) else {
            return .failure(DomainNameError(.notConvertible, input: raw))
        }
        if let reason = HostnameSyntax.problem(ascii.utf8) {
            return .failure(DomainNameError(reason, input: raw))
        }
        guard let lastDot = ascii.utf8.lastIndex(of: ASCII.dot) else {
            return .failure(DomainNameError(.singleLabel, input: raw))
        }
        if ascii.utf8[ascii.utf8.index(after: lastDot)...].allSatisfy(ASCII.isDigit) {
            return .failure(DomainNameError(.numericTopLevel, input: raw))
        }
        return .success(ascii)
    }
}
