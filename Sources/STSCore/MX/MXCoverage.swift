/// How many of a domain's MX hosts the policy's mx patterns cover (column `mx_coverage`).
public enum MXCoverage: String, Sendable, Codable, CaseIterable {
    case all
    case some
    case none
}
