import STSEngine

/// A server's leaf certificate as `check` shows it, passing or failing: whom it names,
/// who issued it, until when.
public struct ProbeCertificate: Sendable, Codable, Equatable {
    public var subject: String?
    public var issuer: String?
    /// subjectAltName DNS entries, in certificate order.
    public var dnsNames: [String]
    /// ISO 8601 UTC.
    public var notAfter: String?
    /// Certificates the server sent.
    public var chainLength: Int

    public init(subject: String?, issuer: String?, dnsNames: [String], notAfter: String?, chainLength: Int) {
        self.subject = subject
        self.issuer = issuer
        self.dnsNames = dnsNames
        self.notAfter = notAfter
        self.chainLength = chainLength
    }

    init(_ facts: CertificateFacts) {
        self.init(subject: facts.subject, issuer: facts.issuer, dnsNames: facts.dnsNames, notAfter: facts.notAfter,
                  chainLength: facts.chainLength)
    }

    /// The lines of a step's data: at most 10 names (a hostile certificate may list thousands).
    var lines: [String] {
        var lines: [String] = []
        if let subject { lines.append("subject: \(subject)") }
        if !dnsNames.isEmpty {
            let more = dnsNames.count > 10 ? " (+\(dnsNames.count - 10) more)" : ""
            lines.append("names: \(dnsNames.prefix(10).joined(separator: ", "))\(more)")
        }
        if let issuer { lines.append("issuer: \(issuer)") }
        if let notAfter { lines.append("not after: \(notAfter)") }
        return lines
    }
}
