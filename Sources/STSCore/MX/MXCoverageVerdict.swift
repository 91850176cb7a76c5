/// The coverage of a domain's MX hosts by a policy's mx patterns (RFC 8461 §4.1).
public struct MXCoverageVerdict: Sendable {
    public let coverage: MXCoverage
    /// Per MX host, in input order: whether some pattern matches it.
    public let covered: [Bool]
    /// `mx-not-covered` (none) or `mx-partly-covered` (some); empty when all are covered.
    public let findings: [Finding]

    public init(coverage: MXCoverage, covered: [Bool], findings: [Finding]) {
        self.coverage = coverage
        self.covered = covered
        self.findings = findings
    }
}
