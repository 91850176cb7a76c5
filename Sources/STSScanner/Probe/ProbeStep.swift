/// One network step of a probe, kept when an operator asks for an explanation (`check`).
public struct ProbeStep: Sendable, Codable, Equatable {
    /// What was done, e.g. `TXT _mta-sts.example.com`.
    public var action: String
    /// What came back, e.g. `ok: 1 record` or `timeout`.
    public var outcome: String
    /// Raw data worth showing (records, addresses, HTTP status line).
    public var data: [String]
    public var elapsedMs: Int
    /// The server's leaf certificate, for a step that reached it (a policy fetch).
    public var certificate: ProbeCertificate?

    public init(action: String, outcome: String, data: [String], elapsedMs: Int, certificate: ProbeCertificate? = nil) {
        self.action = action
        self.outcome = outcome
        self.data = data
        self.elapsedMs = elapsedMs
        self.certificate = certificate
    }
}
