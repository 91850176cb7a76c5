import ArgumentParser
import STSCore

/// `stsscan lint policy FILE|-`: a policy body, bytes exactly as they will be served.
struct LintPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check an MTA-STS policy file (RFC 8461 §3.2).",
        discussion: """
        FILE is read byte for byte (use - for standard input), as a sender would receive it from \
        https://mta-sts.<domain>/.well-known/mta-sts.txt. Bodies over \(PolicyParser.maxBodyBytes / 1024) KiB are reported as \
        http-body-too-large, as the scanner would.

        Example: stsscan lint policy datasets/policies/enforce.txt
        """
    )

    @OptionGroup var output: LintOutputOptions

    @Argument(help: "The policy file, or - for standard input.")
    var file: String

    func run() throws {
        let body: [UInt8]
        do {
            body = try LintFileReader.read(file)
        } catch {
            throw LintOutput.usageFailure("\(error)")
        }
        let verdict = PolicyParser.evaluate(body)
        // The scanner's fetch stops at the same cap (rfc8461-8460-rules.md §2); say so here too.
        let sizeFindings = body.count > PolicyParser.maxBodyBytes
            ? [Finding(.httpBodyTooLarge, "\(body.count) bytes > \(PolicyParser.maxBodyBytes)")] : []
        let findings = sizeFindings + verdict.findings
        let valid = verdict.isValid && sizeFindings.isEmpty
        if output.json {
            try LintOutput.printJSON(JSON(valid: valid, verdict: verdict, findings: findings))
        } else {
            var facts: [String] = []
            if let mode = verdict.mode { facts.append("mode \(mode.rawValue)") }
            if let maxAge = verdict.maxAge { facts.append("max_age \(maxAge)") }
            if !verdict.mx.isEmpty { facts.append("\(verdict.mx.count) mx pattern\(verdict.mx.count == 1 ? "" : "s")") }
            let details = facts.isEmpty ? "" : " (" + facts.joined(separator: ", ") + ")"
            LintOutput.printText(verdict: "policy: " + (valid ? "valid" : "invalid") + details, findings: findings)
        }
        try LintOutput.finish(success: valid)
    }

    private struct JSON: Encodable {
        let valid: Bool
        let verdict: PolicyVerdict
        let findings: [Finding]
        enum CodingKeys: String, CodingKey { case valid, version, mode, maxAge = "max_age", mx, findings }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(valid, forKey: .valid)
            try c.encode(verdict.version, forKey: .version)
            try c.encode(verdict.mode?.rawValue, forKey: .mode)
            try c.encode(verdict.maxAge, forKey: .maxAge)
            try c.encode(verdict.mx, forKey: .mx)
            try c.encode(findings.map(LintFindingJSON.init), forKey: .findings)
        }
    }
}
