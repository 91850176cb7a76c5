import ArgumentParser
import STSCore

/// `stsscan lint tlsrpt RECORD...`: the TXT records at `_smtp._tls.<domain>`.
struct LintTLSRPTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlsrpt",
        abstract: "Check the TXT record(s) at _smtp._tls.<domain> (RFC 8460 §3).",
        discussion: """
        Each argument is one TXT record with its strings joined; several arguments are several \
        records at the name.

        Example: stsscan lint tlsrpt 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'
        """
    )

    @OptionGroup var output: LintOutputOptions

    @Argument(help: "The TXT record(s).")
    var records: [String] = []

    func validate() throws {
        if records.isEmpty { throw ValidationError("Give at least one TXT record.") }
    }

    func run() throws {
        let verdict = TLSRPTParser.evaluate(records)
        if output.json {
            try LintOutput.printJSON(JSON(verdict: verdict))
        } else {
            let line: String = switch verdict.status {
            case .valid: "tlsrpt record: valid (rua \(verdict.rua.joined(separator: ", ")))"
            case .absent: "tlsrpt record: absent (no record looks like TLS-RPT)"
            case .invalid, .error: "tlsrpt record: invalid (no usable TLSRPTv1 record)"
            }
            LintOutput.printText(verdict: line, findings: verdict.findings)
        }
        try LintOutput.finish(success: verdict.isValid)
    }

    private struct JSON: Encodable {
        let verdict: TLSRPTVerdict
        enum CodingKeys: String, CodingKey { case valid, status, rua, findings }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(verdict.isValid, forKey: .valid)
            try c.encode(verdict.status.rawValue, forKey: .status)
            try c.encode(verdict.rua, forKey: .rua)
            try c.encode(verdict.findings.map(LintFindingJSON.init), forKey: .findings)
        }
    }
}
