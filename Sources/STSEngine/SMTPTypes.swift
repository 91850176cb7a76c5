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

/// How one STARTTLS probe of an MX host ended, as seen on the wire. The engine says what
/// happened; the scanner judges the certificate and picks the `mx-tls` finding
/// (`TransportFindings`).
public enum SMTPProbeOutcome: Sendable, Equatable {
    /// Greeting, EHLO with STARTTLS, and a completed TLS handshake; the result's `tls` holds
    /// the certificate facts (OpenSSL's chain verdict included) to judge.
    case handshakeCompleted
    /// `detail` is curl's account (code, message, last reply) for the finding.
    case failure(SMTPProbeFailure, detail: String)
}

/// What went wrong on the wire before a usable TLS session: a closed set of transport
/// outcomes, in the order a sender meets them.
public enum SMTPProbeFailure: Sendable, Equatable {
    /// No TCP connection (or it closed before it was established).
    case connect(ConnectFailure)
    /// Connected, but no greeting within the timeout (a tarpit).
    case greetingTimeout
    /// A reply before STARTTLS did not come within the timeout.
    case replyTimeout
    /// EHLO was answered without STARTTLS.
    case startTLSNotOffered
    /// An unexpected, refused or overlong reply, or a connection closed mid-dialogue.
    case protocolError
    /// STARTTLS was accepted but the TLS handshake failed or stalled.
    case tlsHandshakeFailed
    /// curl refused the certificate after a completed handshake; the result's `tls` holds
    /// the facts.
    case certificateRefused
    /// Anything else, and probes the engine did not carry out (invalid input, cancelled,
    /// shut down).
    case other
}

/// The result of `Engine.probeSMTP`.
public struct SMTPProbeResult: Sendable, Equatable {
    /// The MX host probed (the name its certificate must match).
    public let host: String
    public let outcome: SMTPProbeOutcome
    public let address: String
    /// The TLS facts when a handshake completed, else nil.
    public let tls: MXTLSFacts?
    /// The server's first greeting line (truncated), when one came.
    public let greeting: String?
    /// Time from the start of the probe (after any politeness wait) to its end.
    public let elapsedMs: Int

    public init(host: String, outcome: SMTPProbeOutcome, address: String, tls: MXTLSFacts? = nil,
                greeting: String? = nil, elapsedMs: Int) {
        self.host = host
        self.outcome = outcome
        self.address = address
        self.tls = tls
        self.greeting = greeting
        self.elapsedMs = elapsedMs
    }
}
