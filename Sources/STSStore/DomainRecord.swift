import Foundation
import STSCore

/// One input entry's outcome: a row of `domain_results` plus its children (findings, MX
/// hosts, policy mx patterns, raw TXT records, the policy body). Status strings use the
/// vocabulary of docs/architecture.md; the schema's CHECK constraints reject anything else.
public struct DomainRecord: Sendable, Hashable {
    /// 0-based index of the entry in the input: the resume key.
    public var position: Int
    public var rank: Int?
    /// The normalised name (A-labels, lower case, no trailing dot).
    public var domain: String
    /// The entry as it appeared in the input.
    public var input: String
    public var mxStatus: String
    public var stsRecord: String
    public var stsID: String?
    public var stsCNAME: String?
    public var policyStatus: String?
    public var policyHostCNAME: String?
    public var policyAddress: String?
    public var httpStatus: Int?
    public var mode: String?
    public var maxAge: Int?
    public var mxCoverage: String?
    public var tlsrptRecord: String
    public var tlsrptRUA: String?
    /// The primary finding's code (first error in stage order), nil when there is none.
    public var errorCode: String?
    public var errorDetail: String?
    public var scannedAt: Date
    public var durationMs: Int
    /// Every finding in the order made; severity and stage are stored from the code.
    public var findings: [Finding]
    public var mxHosts: [MXHost]
    public var policyMX: [String]
    public var rawRecords: [RawRecord]
    /// The policy body as received (already capped by the fetcher); stored as lossy UTF-8
    /// text of at most `ResultStore.policyBodyLimit` bytes plus a truncated flag.
    public var policyBody: [UInt8]?
    /// Would a compliant sender deliver: "ok", "degraded", "fails"; nil when not probed.
    public var delivery: String?
    /// MX hosts this entry's probe examined first in the scan (each host is stored once per
    /// scan, with the entry that probed it; `INSERT ... DO NOTHING` for repeats).
    public var mxProbes: [MXProbeRecord]

    public init(position: Int, rank: Int? = nil, domain: String, input: String,
                mxStatus: String, stsRecord: String, stsID: String? = nil, stsCNAME: String? = nil,
                policyStatus: String? = nil, policyHostCNAME: String? = nil, policyAddress: String? = nil,
                httpStatus: Int? = nil, mode: String? = nil, maxAge: Int? = nil, mxCoverage: String? = nil,
                tlsrptRecord: String, tlsrptRUA: String? = nil,
                errorCode: String? = nil, errorDetail: String? = nil,
                scannedAt: Date, durationMs: Int,
                findings: [Finding] = [], mxHosts: [MXHost] = [], policyMX: [String] = [],
                rawRecords: [RawRecord] = [], policyBody: [UInt8]? = nil,
                delivery: String? = nil, mxProbes: [MXProbeRecord] = []) {
        self.position = position
        self.rank = rank
        self.domain = domain
        self.input = input
        self.mxStatus = mxStatus
        self.stsRecord = stsRecord
        self.stsID = stsID
        self.stsCNAME = stsCNAME
        self.policyStatus = policyStatus
        self.policyHostCNAME = policyHostCNAME
        self.policyAddress = policyAddress
        self.httpStatus = httpStatus
        self.mode = mode
        self.maxAge = maxAge
        self.mxCoverage = mxCoverage
        self.tlsrptRecord = tlsrptRecord
        self.tlsrptRUA = tlsrptRUA
        self.errorCode = errorCode
        self.errorDetail = errorDetail
        self.scannedAt = scannedAt
        self.durationMs = durationMs
        self.findings = findings
        self.mxHosts = mxHosts
        self.policyMX = policyMX
        self.rawRecords = rawRecords
        self.policyBody = policyBody
        self.delivery = delivery
        self.mxProbes = mxProbes
    }
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

/// One TXT record seen at `_mta-sts.<d>` (`kind` "sts") or `_smtp._tls.<d>` ("tlsrpt"):
/// a row of `raw_records`, kept so research can re-classify.
public struct RawRecord: Sendable, Hashable {
    public var kind: String
    public var text: String

    public init(kind: String, text: String) {
        self.kind = kind
        self.text = text
    }
}
