/// The verdict on the TXT records at `_mta-sts.<domain>` (RFC 8461 §3.1).
public struct STSRecordVerdict: Sendable {
    /// `absent`, `valid` or `invalid` (the parser never returns `error`).
    public let status: RecordStatus
    /// The `id` of the usable record; `nil` unless `status == .valid`.
    public let id: String?
    /// Everything observed, in record order; error findings make the status `invalid`.
    public let findings: [Finding]

    public init(status: RecordStatus, id: String?, findings: [Finding]) {
        self.status = status
        self.id = id
        self.findings = findings
    }

    /// True when exactly one usable STSv1 record was found.
    public var isValid: Bool { status == .valid }
}
