import ArgumentParser
import STSCore

/// `stsscan lint txt RECORD...`: the TXT records at `_mta-sts.<domain>`.
struct LintTXTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "txt",
        abstract: "Check the TXT record(s) at _mta-sts.<domain> (RFC 8461 §3.1).",
        discussion: """
        Each argument is one TXT record with its strings joined. Several arguments are several \
        records at the name, judged as a sender would: exactly one must be a valid STSv1 record.

        Example: stsscan lint txt 'v=STSv1; id=20240101T000000'
        """
    )

    @OptionGroup var output: LintOutputOptions

    @Argument(help: "The TXT record(s).")
    var records: [String] = []

    func validate() throws {
        if records.isEmpty { throw ValidationError("Give at least one TXT record.") }
    }

    func run() throws {
        let verdict = STSRecordParser.evaluate(records)
        if output.json {
            try LintOutput.printJSON(JSON(verdict: verdict))
        } else {
            let line: String = switch verdict.status {
            case .valid: "sts record: valid (id \(verdict.id ?? ""))"
            case .absent: "sts record: absent (no record looks like MTA-STS)"
            case .invalid, .error: "sts record: invalid (no usable STSv1 record)"
            }
            LintOutput.printText(verdict: line, findings: verdict.findings)
        }
        try LintOutput.finish(success: verdict.isValid)
    }

    private struct JSON: Encodable {
        let verdict: STSRecordVerdict
        enum CodingKeys: String, CodingKey { case valid, status, id, findings }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(verdict.isValid, forKey: .valid)
            try c.encode(verdict.status.rawValue, forKey: .status)
            try c.encode(verdict.id, forKey: .id)
            try c.encode(verdict.findings.map(LintFindingJSON.init), forKey: .findings)
        }
    }
}
