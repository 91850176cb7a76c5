/// The `mode` of an MTA-STS policy (RFC 8461 §5). Values are case-sensitive.
public enum PolicyMode: String, Sendable, Codable, CaseIterable {
    case enforce
    case testing
    case none
}
