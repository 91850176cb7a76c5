/// Would a compliant sender deliver under the policy? The `delivery` column of `results`
/// (docs/database.md). Spec: rfc8461-8460-rules.md §5.
public enum Delivery: String, Sendable, Codable, CaseIterable {
    /// Every MX host passes: covered by an `mx` pattern, STARTTLS, a valid certificate.
    case ok
    /// At least one MX host passes and at least one fails.
    case degraded
    /// No MX host passes: in `enforce` mode a compliant sender defers, then bounces.
    case fails
}
