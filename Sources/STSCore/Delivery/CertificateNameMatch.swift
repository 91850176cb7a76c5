/// Does a certificate name a host? RFC 6125 §6.4 as senders apply it to MX hosts
/// (rfc8461-8460-rules.md §5): DNS-ID subjectAltNames; the subject CN only when the
/// certificate has no DNS name at all; a wildcard only as the whole left-most label,
/// standing for exactly one label. Case-insensitive; a trailing dot on the host is ignored.
public enum CertificateNameMatch {
    public static func matches(host: String, dnsNames: [String], commonName: String? = nil) -> Bool {
        var target = host.lowercased()
        if target.hasSuffix(".") { target.removeLast() }
        guard !target.isEmpty else { return false }
        let names = dnsNames.isEmpty ? (commonName.map { [$0] } ?? []) : dnsNames
        return names.contains { matches(target, pattern: $0.lowercased()) }
    }

    private static func matches(_ host: String, pattern: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let rest = pattern.dropFirst(2)
        // "*.example.com" stands for one label: not "example.com", not "a.b.example.com";
        // and never a wildcard over a bare TLD ("*.com").
        guard rest.contains("."), let dot = host.firstIndex(of: ".") else { return false }
        let firstLabel = host[..<dot]
        return !firstLabel.isEmpty && host[host.index(after: dot)...] == rest
    }

    /// The CN of an OpenSSL one-line subject (`C = US, O = X, CN = mx.example.com`).
    public static func commonName(ofSubject subject: String) -> String? {
        for part in subject.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.filter { $0 != " " } }
            if pieces.count == 2, pieces[0] == "CN" { return String(pieces[1]) }
        }
        return nil
    }
}
