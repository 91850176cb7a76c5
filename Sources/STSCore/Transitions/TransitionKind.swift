/// The closed vocabulary of changes `stsscan diff` reports between two scans of one
/// domain (docs/transitions.md). Like finding codes, the raw values are stable data: they
/// are printed, exported and compared with a world's `transitions.csv`, so a kind is never
/// renamed or reused for another meaning. `TransitionRules` says when each one applies.
public enum TransitionKind: String, Sendable, Codable, CaseIterable {
    case adopted = "adopted"
    case dropped = "dropped"
    case policyBroken = "policy-broken"
    case policyFixed = "policy-fixed"
    case modeChanged = "mode-changed"
    case maxAgeChanged = "max-age-changed"
    case mxChanged = "mx-changed"
    case policyChangedIDUnchanged = "policy-changed-id-unchanged"
    case idChangedPolicyUnchanged = "id-changed-policy-unchanged"
    case deliveryChanged = "delivery-changed"

    /// One sentence for users: when the kind applies and what `before`/`after` hold.
    public var summary: String {
        switch self {
        case .adopted:
            "No _mta-sts record before, one now; after: working, or the primary error of the new deployment."
        case .dropped:
            "An _mta-sts record before (working or not), none now; before: working or the old primary error."
        case .policyBroken:
            "A working policy before; now the record or the policy fails (after: the primary error)."
        case .policyFixed:
            "The record or the policy failed before (before: the primary error); a working policy now."
        case .modeChanged:
            "Working policies in both scans with different modes (testing -> enforce, ...)."
        case .maxAgeChanged:
            "Working policies in both scans with different max_age values, in seconds."
        case .mxChanged:
            "Working policies in both scans whose sets of mx patterns differ (case-insensitive)."
        case .policyChangedIDUnchanged:
            "The policy changed (mode, max_age or mx patterns) but the record's id did not: senders that cached the old policy keep it until it expires (RFC 8461 section 3.1)."
        case .idChangedPolicyUnchanged:
            "The record's id changed but the policy (mode, max_age, mx patterns) did not: senders refetch for nothing."
        case .deliveryChanged:
            "Both scans have a delivery verdict (the MX hosts were probed) and the verdicts differ."
        }
    }
}
