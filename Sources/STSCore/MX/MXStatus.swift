/// How the MX lookup of a domain ended (column `mx_status`, docs/architecture.md). The raw
/// values are the schema's CHECK list; a schema test compares the two.
public enum MXStatus: String, Sendable, Codable, CaseIterable {
    /// At least one MX record, including the null MX (RFC 7505).
    case ok
    /// The name exists and has no MX record.
    case nodata
    case nxdomain
    case timeout
    case servfail
    /// Any other failure (REFUSED, a malformed answer ...).
    case error

    /// The lookup itself failed (no answer to interpret), as opposed to an answer without MX.
    public var isLookupFailure: Bool { self == .timeout || self == .servfail || self == .error }
}
