import STSCore

/// What the TLS session with an MX host showed, whether or not the certificate validated.
public struct MXTLSFacts: Sendable, Equatable {
    /// "TLSv1.3", "TLSv1.2" ... as OpenSSL names it.
    public var version: String?
    public var cipher: String?
    /// The leaf certificate, as OpenSSL prints it (`CN = mx.example.com`).
    public var subject: String?
    public var issuer: String?
    /// DNS names of the subjectAltName extension, in certificate order.
    public var dnsNames: [String] = []
    /// The leaf's `notAfter`, ISO 8601 UTC ("2026-12-30T08:38:00Z").
    public var notAfter: String?
    /// The leaf certificate in PEM, for its fingerprint.
    public var leafPEM: String?
    /// Certificates the server sent.
    public var chainLength: Int = 0
    /// OpenSSL's chain verification (`X509_V_ERR_*`; 0 = valid).
    public var verifyResult: Int = 0

    public init() {}
}

/// How one STARTTLS probe of an MX host ended. `passed`: greeting, EHLO with STARTTLS, a
/// TLS handshake, and a certificate that chains to the trust store, is in date and names
/// the host. Otherwise the `mx-tls` finding code that a sender would meet first.
public enum SMTPProbeOutcome: Sendable, Equatable {
    case passed
    case failure(FindingCode, detail: String)
}

/// The result of `Engine.probeSMTP`.
public struct SMTPProbeResult: Sendable, Equatable {
    public let outcome: SMTPProbeOutcome
    public let address: String
    /// The TLS facts when a handshake completed, else nil.
    public let tls: MXTLSFacts?
    /// The server's first greeting line (truncated), when one came.
    public let greeting: String?
    /// Time from the start of the probe (after any politeness wait) to its end.
    public let elapsedMs: Int

    public init(outcome: SMTPProbeOutcome, address: String, tls: MXTLSFacts? = nil, greeting: String? = nil,
                elapsedMs: Int) {
        self.outcome = outcome
        self.address = address
        self.tls = tls
        self.greeting = greeting
        self.elapsedMs = elapsedMs
    }
}
