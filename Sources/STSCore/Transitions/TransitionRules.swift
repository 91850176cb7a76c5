/// When a domain's records in two scans make a transition (docs/transitions.md). The
/// report SQL (`TransitionSQL` in STSReport) implements the same rules over the database;
/// a test runs both on one fixture and requires the same answer.
public enum TransitionRules {
    /// Primary error codes that mean "not measured" rather than "broken": the answer may
    /// differ on the next try, so a domain showing one in either scan makes no transition
    /// of its deployment (the delivery verdict is compared on its own).
    public static let inconclusiveCodes: Set<FindingCode> = [
        .mxDNSTimeout, .mxDNSServfail, .mxDNSError, .txtDNSTimeout, .txtDNSServfail, .txtDNSError,
        .policyHostDNSTimeout, .policyHostDNSServfail, .policyHostDNSError, .connectTimeout, .fetchTimeout,
    ]

    /// The deployment state of one scan's record of a domain.
    public static func state(_ s: TransitionSnapshot) -> DeploymentState {
        switch s.mxStatus {
        case .timeout, .servfail, .error: return .inconclusive
        case .ok, .nodata, .nxdomain: break
        }
        switch s.stsRecord {
        case .absent: return .absent
        case .invalid: return s.errorCode.map(DeploymentState.failing) ?? .inconclusive
        case .valid:
            switch s.policyStatus {
            case .valid: return .working
            case .fetchError, .invalid:
                guard let code = s.errorCode, !inconclusiveCodes.contains(code) else { return .inconclusive }
                return .failing(code)
            case nil: return .inconclusive
            }
        case .error: return .inconclusive
        }
    }

    /// The policy's meaning as one comparable text: `mode=M max_age=N mx=p1,p2` with the
    /// mx patterns lowercased, deduplicated and sorted. Two policies are "the same" for
    /// senders (RFC 8461 section 3.2) exactly when these texts are equal; line endings,
    /// field order, unknown fields and comments do not count.
    public static func policyText(mode: PolicyMode?, maxAge: Int?, mx: [String]) -> String {
        "mode=\(mode?.rawValue ?? "") max_age=\(maxAge.map(String.init) ?? "") mx=\(mxText(mx))"
    }

    /// The mx patterns lowercased (ASCII letters only, as SQLite's `lower`), deduplicated,
    /// sorted (byte order, as SQLite's BINARY collation) and comma-separated.
    public static func mxText(_ mx: [String]) -> String {
        Set(mx.map { String(decoding: $0.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self) }).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .joined(separator: ",")
    }

    /// Every transition from `before` to `after`, in `TransitionKind` order.
    public static func classify(_ before: TransitionSnapshot, _ after: TransitionSnapshot) -> [Transition] {
        var found: [Transition] = []
        let from = state(before)
        let to = state(after)
        switch (from, to) {
        case (.inconclusive, _), (_, .inconclusive), (.absent, .absent): break
        case (.absent, _): found.append(Transition(.adopted, from.text, to.text))
        case (_, .absent): found.append(Transition(.dropped, from.text, to.text))
        case (.working, .failing): found.append(Transition(.policyBroken, from.text, to.text))
        case (.failing, .working): found.append(Transition(.policyFixed, from.text, to.text))
        case (.failing, .failing): break
        case (.working, .working):
            if before.mode != after.mode { found.append(Transition(.modeChanged, before.mode?.rawValue ?? "", after.mode?.rawValue ?? "")) }
            if before.maxAge != after.maxAge {
                found.append(Transition(.maxAgeChanged, before.maxAge.map(String.init) ?? "",
                                        after.maxAge.map(String.init) ?? ""))
            }
            let mxBefore = mxText(before.mx)
            let mxAfter = mxText(after.mx)
            if mxBefore != mxAfter { found.append(Transition(.mxChanged, mxBefore, mxAfter)) }
            let policyBefore = policyText(mode: before.mode, maxAge: before.maxAge, mx: before.mx)
            let policyAfter = policyText(mode: after.mode, maxAge: after.maxAge, mx: after.mx)
            if policyBefore != policyAfter, before.stsID == after.stsID {
                found.append(Transition(.policyChangedIDUnchanged, policyBefore, policyAfter))
            }
            if policyBefore == policyAfter, before.stsID != after.stsID {
                found.append(Transition(.idChangedPolicyUnchanged, before.stsID ?? "", after.stsID ?? ""))
            }
        }
        if let was = before.delivery, let now = after.delivery, was != now {
            found.append(Transition(.deliveryChanged, was.rawValue, now.rawValue))
        }
        return found
    }
}

/// One change of one domain between two scans.
public struct Transition: Sendable, Hashable {
    public let kind: TransitionKind
    public let before: String
    public let after: String

    public init(_ kind: TransitionKind, _ before: String, _ after: String) {
        self.kind = kind
        self.before = before
        self.after = after
    }
}
