import STSCore

/// One row of `truth.csv`: what a correct scanner stores for a domain of the world,
/// in the vocabulary of docs/architecture.md (nil = SQL NULL = empty cell).
public struct TruthRow: Sendable, Equatable {
    public let domain: String
    public let rank: Int
    public let scenario: String
    public let mxStatus: String
    public let stsRecord: String
    public let stsID: String?
    public let policyStatus: String?
    public let mode: String?
    public let maxAge: Int?
    public let mxCoverage: String?
    public let tlsrptRecord: String
    /// The primary finding code (first error in stage order), nil when there is none.
    public let errorCode: String?
    /// Would a compliant sender deliver (`ok`, `degraded`, `fails`); nil when the scanner
    /// does not probe the domain's MX hosts (no valid `enforce`/`testing` policy, no MX).
    public let delivery: String?

    public init(domain: String, rank: Int, scenario: String, mxStatus: String, stsRecord: String,
                stsID: String?, policyStatus: String?, mode: String?, maxAge: Int?,
                mxCoverage: String?, tlsrptRecord: String, errorCode: String?, delivery: String?) {
        self.domain = domain
        self.rank = rank
        self.scenario = scenario
        self.mxStatus = mxStatus
        self.stsRecord = stsRecord
        self.stsID = stsID
        self.policyStatus = policyStatus
        self.mode = mode
        self.maxAge = maxAge
        self.mxCoverage = mxCoverage
        self.tlsrptRecord = tlsrptRecord
        self.errorCode = errorCode
        self.delivery = delivery
    }

    /// The CSV header, in contract order.
    public static let header = ["domain", "rank", "scenario", "mx_status", "sts_record", "sts_id",
                                "policy_status", "mode", "max_age", "mx_coverage", "tlsrpt_record",
                                "error_code", "delivery"]

    /// The row's cells in header order ("" for NULL).
    public var cells: [String] {
        [domain, String(rank), scenario, mxStatus, stsRecord, stsID ?? "", policyStatus ?? "",
         mode ?? "", maxAge.map(String.init) ?? "", mxCoverage ?? "", tlsrptRecord, errorCode ?? "",
         delivery ?? ""]
    }
}

/// The expected outcome of a scenario before it is tied to a domain name and rank.
/// Statuses are the vocabulary enums and codes `FindingCode`s, so a misspelt value cannot compile.
struct Expectation: Sendable, Equatable {
    var mxStatus = MXStatus.ok
    var stsRecord = RecordStatus.absent
    var stsID: String?
    var policyStatus: PolicyStatus?
    var mode: PolicyMode?
    var maxAge: Int?
    var mxCoverage: MXCoverage?
    var tlsrptRecord = RecordStatus.absent
    var errorCode: FindingCode?
    var delivery: Delivery?

    func row(domain: String, rank: Int, scenario: Scenario) -> TruthRow {
        TruthRow(domain: domain, rank: rank, scenario: scenario.rawValue, mxStatus: mxStatus.rawValue,
                 stsRecord: stsRecord.rawValue, stsID: stsID, policyStatus: policyStatus?.rawValue, mode: mode?.rawValue,
                 maxAge: maxAge, mxCoverage: mxCoverage?.rawValue, tlsrptRecord: tlsrptRecord.rawValue,
                 errorCode: errorCode?.rawValue, delivery: delivery?.rawValue)
    }
}
