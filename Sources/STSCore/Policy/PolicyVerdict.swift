/// The verdict on one policy body (RFC 8461 §3.2).
public struct PolicyVerdict: Sendable {
    /// True when no finding is an error.
    public let isValid: Bool
    /// `STSv1` when the first `version` field is exactly that, else `nil`.
    public let version: String?
    /// The first `mode` field, when its value is valid (also for an otherwise invalid policy).
    public let mode: PolicyMode?
    /// The first `max_age` field, when it is 1..10 digits and at most 31557600 (also for an
    /// otherwise invalid policy).
    public let maxAge: Int?
    /// Every non-empty `mx` value in order, as written (valid or not: see `policy-bad-mx`).
    public let mx: [String]
    public let findings: [Finding]

    public init(isValid: Bool, version: String?, mode: PolicyMode?, maxAge: Int?, mx: [String], findings: [Finding]) {
        self.isValid = isValid
        self.version = version
        self.mode = mode
        self.maxAge = maxAge
        self.mx = mx
        self.findings = findings
    }
}
