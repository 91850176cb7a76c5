/// Where in the data path a finding arises. The order of the cases is the order in which
/// a domain is examined, and decides which error is a domain's primary finding.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
    /// The list entry itself (name syntax, duplicates).
    case input
    /// The domain's own MX lookup (existence, MX hosts).
    case domain
    /// The `_mta-sts.<domain>` TXT record (RFC 8461 §3.1).
    case stsRecord = "sts-record"
    /// Resolving `mta-sts.<domain>` to addresses.
    case policyHost = "policy-host"
    /// The HTTPS GET of the policy (RFC 8461 §3.3).
    case fetch
    /// The policy body (RFC 8461 §3.2).
    case policy
    /// MX hosts matched against the policy's `mx` patterns (RFC 8461 §4.1).
    case mxCoverage = "mx-coverage"
    /// Each MX host's STARTTLS and certificate, and the delivery verdict (RFC 8461 §4.2, §5).
    case mxTLS = "mx-tls"
    /// The `_smtp._tls.<domain>` TLS-RPT record (RFC 8460 §3).
    case tlsrpt

    private var order: Int { Stage.allCases.firstIndex(of: self)! }
    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.order < rhs.order }
}
