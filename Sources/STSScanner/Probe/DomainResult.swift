import Foundation
import STSCore
import STSStore

/// Everything measured about one list entry: the row of the `results` view plus the detail
/// research needs to re-classify later (raw TXT records, policy body, MX hosts, findings).
public struct DomainResult: Sendable {
    public var position: Int
    public var rank: Int?
    /// Normalised A-label name, or the raw entry when it is not a valid name.
    public var domain: String
    /// The entry as it appeared in the list.
    public var input: String

    public var mxStatus: String = "error"
    public var mxHosts: [MXHost] = []

    public var stsRecord: RecordStatus = .error
    public var stsID: String?
    public var stsCNAME: String?
    public var stsRawRecords: [String] = []

    public var policyStatus: String?
    public var policyHostCNAME: String?
    public var policyAddress: String?
    public var httpStatus: Int?
    public var policyBody: [UInt8]?
    public var mode: String?
    public var maxAge: Int?
    public var policyMX: [String] = []
    public var mxCoverage: String?

    /// Would a compliant sender deliver under the policy (nil: not probed).
    public var delivery: Delivery?
    /// The `mx_probes` rows this entry's probe ran first in the scan.
    public var mxProbes: [MXProbeRecord] = []

    public var tlsrptRecord: RecordStatus = .error
    public var tlsrptRUA: [String] = []
    public var tlsrptRawRecords: [String] = []

    /// In data-path order; the primary error is derived from them.
    public var findings: [Finding] = []
    public var scannedAt: Date
    public var durationMs: Int = 0

    public init(position: Int, rank: Int?, domain: String, input: String, scannedAt: Date = Date()) {
        self.position = position
        self.rank = rank
        self.domain = domain
        self.input = input
        self.scannedAt = scannedAt
    }

    /// The primary finding (`error_code`): first error in stage order.
    public var primaryError: Finding? { findings.primaryError }
}
