/// How one policy fetch ended: an HTTP response of any status, or what went wrong on the
/// wire (`FetchFailure`, classified from curl's view by `FetchFailureMapping`). The engine
/// says what happened; the scanner decides which finding that is (`TransportFindings`).
public enum FetchOutcome: Sendable {
    case response(status: Int, contentType: String?, location: String?, body: [UInt8])
    /// `detail` is curl's account (code, message, verify result, errno) for the finding.
    case failure(FetchFailure, detail: String)
}

/// What happened on the wire when a fetch got no HTTP response: a closed set of transport
/// outcomes (as zgrab2's statuses), without judgement.
public enum FetchFailure: Sendable, Equatable {
    /// No TCP connection.
    case connect(ConnectFailure)
    /// The TLS handshake failed without a verdict on the certificate.
    case tlsHandshakeFailed
    /// The handshake stopped at the server's certificate.
    case certificate(CertificateProblem)
    /// Connected, but the response did not complete within the fetch timeout.
    case timeout
    /// The body passed the size cap and the transfer was stopped.
    case bodyTooLarge
    /// Anything else (a reset after the handshake, an empty reply, a protocol error), and
    /// fetches the engine did not carry out (invalid input, cancelled, shut down).
    case other
}

/// The result of `Engine.fetchPolicy`.
public struct FetchResult: Sendable {
    public let outcome: FetchOutcome
    /// The address the connection went to.
    public let address: String
    /// Time from the start of the transfer (after any politeness wait) to its end.
    public let elapsedMs: Int
    /// The server's leaf certificate, failing ones included (for `check`); nil when no
    /// handshake reached the certificate.
    public let certificate: CertificateFacts?

    public init(outcome: FetchOutcome, address: String, elapsedMs: Int, certificate: CertificateFacts? = nil) {
        self.outcome = outcome
        self.address = address
        self.elapsedMs = elapsedMs
        self.certificate = certificate
    }
}
