/// What became of the policy fetch (column `policy_status`, docs/architecture.md); a domain
/// whose record is not valid has none. The raw values are the schema's CHECK list.
public enum PolicyStatus: String, Sendable, Codable, CaseIterable {
    /// Fetched, and the body has no error finding.
    case valid
    /// Policy host resolution, connect, TLS, certificate, HTTP status/type/size or timeout failed.
    case fetchError = "fetch-error"
    /// Fetched, but the body has an error finding.
    case invalid
}
