import ArgumentParser
import STSCore

/// `stsscan lint match PATTERN HOST`: does a policy `mx` pattern cover an MX host?
struct LintMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Check whether an mx pattern covers an MX host name (RFC 8461 §4.1).",
        discussion: """
        Exit status 0 when the pattern covers the host, 1 when not. Any host gets an answer: \
        a host that is not a host name (empty, one label, "*.x") matches nothing, and the \
        finding mx-host-invalid says why. A pattern that is not valid in a policy \
        (policy-bad-mx) is reported as a finding.

        Example: stsscan lint match '*.example.com' mx1.example.com
        """
    )

    @OptionGroup var output: LintOutputOptions

    @Argument(help: "The mx pattern, e.g. '*.example.com'.")
    var pattern: String

    @Argument(help: "The MX host name, e.g. mx1.example.com.")
    var host: String

    func run() throws {
        let matched = MXMatcher.matches(pattern: pattern, host: host)
        let patternFindings = MXPatternSyntax.problem(pattern).map {
            [Finding(.policyBadMX, "\"" + DetailText.sanitize(pattern) + "\": " + $0)]
        } ?? []
        let hostFindings = MXMatcher.hostProblem(host).map {
            [Finding(.mxHostInvalid, "\"" + DetailText.sanitize(host) + "\": " + $0)]
        } ?? []
        let findings = patternFindings + hostFindings
        if output.json {
            try LintOutput.printJSON(JSON(match: matched, valid: patternFindings.isValid,
                                          pattern: pattern, host: host, findings: findings))
        } else {
            let quotedPattern = "\"" + DetailText.sanitize(pattern) + "\""
            let quotedHost = "\"" + DetailText.sanitize(host) + "\""
            let line = matched ? "match: \(quotedPattern) covers \(quotedHost)"
                               : "no match: \(quotedPattern) does not cover \(quotedHost)"
            LintOutput.printText(verdict: line, findings: findings)
        }
        try LintOutput.finish(success: matched)
    }

    private struct JSON: Encodable {
        let match: Bool
        /// Whether the pattern is valid in a policy (the host's own findings do not change it).
        let valid: Bool
        let pattern: String
        let host: String
        let findings: [Finding]
        enum CodingKeys: String, CodingKey { case match, valid, pattern, host, findings }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(match, forKey: .match)
            try c.encode(valid, forKey: .valid)
            try c.encode(pattern, forKey: .pattern)
            try c.encode(host, forKey: .host)
            try c.encode(findings.map(LintFindingJSON.init), forKey: .findings)
        }
    }
}
