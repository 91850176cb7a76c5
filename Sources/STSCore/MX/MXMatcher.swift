/// Matches MX host names against policy mx patterns.
/// Spec: rfc8461-8460-rules.md §4 (RFC 8461 §4.1 and Appendix B).
public enum MXMatcher {
    /// Whether `pattern` covers `host`: equal, or `pattern` is `*.rest` and `host` minus its
    /// first (non-empty) label equals `rest`; the wildcard is exactly one label. Compared
    /// case-insensitively, after removing one root dot from the host and converting
    /// U-labels to A-labels on both sides.
    /// Any name gets an answer: an empty, single-label or otherwise malformed host
    /// (`hostProblem`) matches no pattern (§4).
    public static func matches(pattern: String, host: String) -> Bool {
        guard hostProblem(host) == nil else { return false }
        return matches(normalizedPattern: comparable(pattern), normalizedHost: comparable(stripRootDot(host)))
    }

    /// Why `host` (an MX target as published, one root dot allowed) is not a host name any
    /// pattern can cover, or `nil` when it is one: empty, not convertible to A-labels, not
    /// LDH labels of 1..63 octets (253 in all), or a single label (§4).
    public static func hostProblem(_ host: String) -> String? {
        let name = stripRootDot(host)
        if name.isEmpty { return DomainNameError.Reason.empty.explanation }
        guard let ascii = IDNA.toASCII(name) else { return DomainNameError.Reason.notConvertible.explanation }
        if let reason = HostnameSyntax.problem(ascii.utf8) { return reason.explanation }
        if !ascii.utf8.contains(ASCII.dot) { return DomainNameError.Reason.singleLabel.explanation }
        return nil
    }

    /// Coverage of `mxHosts` (as published, root dot allowed) by `patterns`. With no MX hosts
    /// every host is (vacuously) covered: `.all` without findings; the scanner records no
    /// coverage for such domains anyway. A malformed host is uncovered, and an
    /// `mx-host-invalid` finding (after the coverage finding) says why. Details list hosts in
    /// sorted order, whatever the order of `mxHosts`.
    public static func evaluate(patterns: [String], mxHosts: [String]) -> MXCoverageVerdict {
        let normalizedPatterns = patterns.map(comparable)
        let exact = Set(normalizedPatterns.filter { !$0.hasPrefix("*.") })
        let wildcardParents = Set(normalizedPatterns.filter { $0.hasPrefix("*.") }.map { String($0.dropFirst(2)) })
        var malformed: [Finding] = []
        let covered = mxHosts.map { host -> Bool in
            if let problem = hostProblem(host) {
                malformed.append(Finding(.mxHostInvalid, "\"" + DetailText.sanitize(host) + "\": " + problem))
                return false
            }
            let name = comparable(stripRootDot(host))
            if exact.contains(name) { return true }
            guard let parent = parentOf(name) else { return false }
            return wildcardParents.contains(parent)
        }
        // Sorted: DNS hands out MX records in any order, and a detail that changed from scan
        // to scan (or between a sharded and a whole scan) would churn every diff of exports.
        let uncovered = zip(mxHosts, covered).filter { !$0.1 }.map { DetailText.sanitize($0.0) }.sorted()
        malformed.sort { $0.detail < $1.detail }
        if uncovered.isEmpty {
            return MXCoverageVerdict(coverage: .all, covered: covered, findings: [])
        }
        let list = DetailText.sanitize(uncovered.joined(separator: ", "))
        if uncovered.count == mxHosts.count {
            return MXCoverageVerdict(coverage: .none, covered: covered,
                                     findings: [Finding(.mxNotCovered, "uncovered: " + list)] + malformed)
        }
        return MXCoverageVerdict(coverage: .some, covered: covered,
                                 findings: [Finding(.mxPartlyCovered, "uncovered: " + list)] + malformed)
    }

    static func matches(normalizedPattern pattern: String, normalizedHost host: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*."), let parent = parentOf(host) else { return false }
        return parent == pattern.dropFirst(2)
    }

    /// The name without its first label, when that label is non-empty.
    static func parentOf(_ name: String) -> String? {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        let parent = name[name.index(after: dot)...]
        return parent.isEmpty ? nil : String(parent)
    }

    static func stripRootDot(_ host: String) -> String {
        host.hasSuffix(".") ? String(host.dropLast()) : host
    }

    /// Lower-cased A-label form; names libidn2 rejects are compared lower-cased as given.
    static func comparable(_ name: String) -> String {
        if name.hasPrefix("*."), name.utf8.contains(where: { $0 >= 0x80 }) {
            let rest = String(name.dropFirst(2))
            return "*." + (IDNA.toASCII(rest) ?? rest.lowercased())
        }
        return IDNA.toASCII(name) ?? name.lowercased()
    }
}
