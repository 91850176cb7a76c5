import Foundation
import STSCore

/// Everything measured about one list entry: the one definition of a `domain_results` row
/// and its children (findings, MX hosts, policy mx patterns, raw TXT records, the policy
/// body, the MX probes it ran first). The probe fills it, the writer stores it column by
/// column (`DomainResultColumn`), and a schema test checks every field against the
/// migrations. Status fields are the vocabulary enums of STSCore, whose raw values are the
/// schema's CHECK lists (docs/architecture.md).
public struct DomainRecord: Sendable, Hashable {
    /// 0-based index of the entry in the input: the resume key.
    public var position: Int
    public var rank: Int?
    /// The normalised name (A-labels, lower case, no trailing dot), or the raw entry when it
    /// is not a valid name.
    public var domain: String
    /// The entry as it appeared in the input.
    public var input: String

    public var mxStatus: MXStatus = .error
    public var mxHosts: [MXHost] = []

    public var stsRecord: RecordStatus = .error
    public var stsID: String?
    public var stsCNAME: String?
    /// Every TXT record seen at `_mta-sts.<d>` (`raw_records` kind `sts`).
    public var stsRawRecords: [String] = []

    /// nil when no fetch was attempted (the record is not valid).
    public var policyStatus: PolicyStatus?
    public var policyHostCNAME: String?
    /// The address the policy came from (or whose failure is the fetch's finding).
    public var policyAddress: String?
    /// Every address the fetch tried, in order (RFC 5321 §5.1 applied to the policy host).
    public var policyAttempts: [AddressAttempt] = []
    public var httpStatus: Int?
    /// The policy body as received (already capped by the fetcher); stored as lossy UTF-8
    /// text of at most `ResultStore.policyBodyLimit` bytes plus a truncated flag.
    public var policyBody: [UInt8]?
    public var mode: PolicyMode?
    public var maxAge: Int?
    public var policyMX: [String] = []
    public var mxCoverage: MXCoverage?

    /// Would a compliant sender deliver under the policy (nil: not probed).
    public var delivery: Delivery?
    /// MX hosts this entry's probe examined first in the scan (each host is stored once per
    /// scan, with the entry that probed it; `INSERT ... DO NOTHING` for repeats).
    public var mxProbes: [MXProbeRecord] = []

    public var tlsrptRecord: RecordStatus = .error
    /// The `rua` URIs of a valid TLS-RPT record (`tlsrpt_rua`, joined with `,`).
    public var tlsrptRUA: [String] = []
    /// Every TXT record seen at `_smtp._tls.<d>` (`raw_records` kind `tlsrpt`).
    public var tlsrptRawRecords: [String] = []

    /// Every finding in the order made; the primary error (`error_code`) is derived from them.
    public var findings: [Finding] = []
    public var scannedAt: Date
    public var durationMs: Int = 0

    /// A record with nothing measured yet: every lookup status `error` until the probe sets it.
    public init(position: Int, rank: Int?, domain: String, input: String, scannedAt: Date = Date()) {
        self.position = position
        self.rank = rank
        self.domain = domain
        self.input = input
        self.scannedAt = scannedAt
    }

    /// The primary finding (`error_code`): first error in stage order, nil when there is none.
    public var primaryError: Finding? { findings.primaryError }
}

/// One MX record of a domain: a row of `mx_hosts`.
public struct MXHost: Sendable, Hashable {
    public var preference: Int
    public var host: String
    /// Whether a policy mx pattern covers the host; nil when coverage was not computed.
    public var covered: Bool?

    public init(preference: Int, host: String, covered: Bool? = nil) {
        self.preference = preference
        self.host = host
        self.covered = covered
    }
}
