/// What one scan recorded about a domain, reduced to what transitions compare (the
/// columns of the `results` view plus the policy's mx patterns from `policy_mx`).
public struct TransitionSnapshot: Sendable, Equatable {
    public var mxStatus: MXStatus
    public var stsRecord: RecordStatus
    public var stsID: String?
    public var policyStatus: PolicyStatus?
    public var mode: PolicyMode?
    public var maxAge: Int?
    /// The policy's mx patterns as written (order and case do not matter).
    public var mx: [String]
    /// The primary error (the `error_code` column).
    public var errorCode: FindingCode?
    public var delivery: Delivery?

    public init(mxStatus: MXStatus = .ok, stsRecord: RecordStatus, stsID: String? = nil, policyStatus: PolicyStatus? = nil,
                mode: PolicyMode? = nil, maxAge: Int? = nil, mx: [String] = [], errorCode: FindingCode? = nil,
                delivery: Delivery? = nil) {
        self.mxStatus = mxStatus
        self.stsRecord = stsRecord
        self.stsID = stsID
        self.policyStatus = policyStatus
        self.mode = mode
        self.maxAge = maxAge
        self.mx = mx
        self.errorCode = errorCode
        self.delivery = delivery
    }
}

/// A domain's MTA-STS deployment as one scan saw it.
public enum DeploymentState: Sendable, Equatable {
    /// No _mta-sts record.
    case absent
    /// A usable record and a valid policy.
    case working
    /// A record that is unusable, or a usable record whose policy could not be fetched or
    /// is invalid: the primary error code.
    case failing(FindingCode)
    /// The measurement did not decide (a DNS timeout or SERVFAIL, a fetch timeout): never
    /// part of a transition, since the next scan may well see the old state again.
    case inconclusive

    /// The `before`/`after` text of adoption, removal, breaking and fixing.
    public var text: String {
        switch self {
        case .absent: "absent"
        case .working: "working"
        case .failing(let code): code.rawValue
        case .inconclusive: "inconclusive"
        }
    }
}
