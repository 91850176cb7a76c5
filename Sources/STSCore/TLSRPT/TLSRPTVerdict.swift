/// The verdict on the TXT records at `_smtp._tls.<domain>` (RFC 8460 §3).
public struct TLSRPTVerdict: Sendable {
    /// `absent`, `valid` or `invalid` (the parser never returns `error`).
    public let status: RecordStatus
    /// The report URIs of the usable record, in order (all `rua` fields merged); empty
    /// unless `status == .valid`.
    public let rua: [String]
    public let findings: [Finding]

    public init(status: RecordStatus, rua: [String], findings: [Finding]) {
        self.status = status
        self.rua = rua
        self.findings = findings
    }

    /// True when exactly one usable TLSRPTv1 record was found.
    public var isValid: Bool { status == .valid }
}
