import ArgumentParser
import Foundation
import STSCore

/// `--json`, shared by every `lint` subcommand.
struct LintOutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object instead of text.")
    var json = false
}

/// One finding as `lint --json` prints it.
struct LintFindingJSON: Encodable {
    let finding: Finding

    enum CodingKeys: String, CodingKey { case code, severity, message, advice, stage, resultType = "result_type" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(finding.code.rawValue, forKey: .code)
        try c.encode(finding.severity.rawValue, forKey: .severity)
        try c.encode(finding.message, forKey: .message)
        try c.encode(finding.code.advice, forKey: .advice)
        try c.encode(finding.stage.rawValue, forKey: .stage)
        try c.encode(finding.resultType.rawValue, forKey: .resultType)
    }
}

/// Prints lint verdicts: text for people, JSON for programs. Everything that came from the
/// input is escaped, so a hostile record cannot drive the terminal.
enum LintOutput {
    /// Text: the verdict line, then `severity code: message` and the advice of each finding.
    static func printText(verdict: String, findings: [Finding]) {
        var lines = [DetailText.escapeForTerminal(verdict)]
        for finding in findings {
            lines.append("\(finding.severity.rawValue) \(finding.code.rawValue): "
                         + DetailText.escapeForTerminal(finding.message))
            if !finding.code.advice.isEmpty {
                lines.append("  fix: " + finding.code.advice)
            }
        }
        print(lines.joined(separator: "\n"))
    }

    /// JSON: one object, keys sorted, on one line.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Exit 1 when the verdict is negative (after printing it).
    static func finish(success: Bool) throws {
        if !success { throw ExitCode(1) }
    }

    /// Prints `stsscan: message` to standard error and exits with the usage status 2.
    static func usageFailure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data(("stsscan: " + DetailText.escapeForTerminal(message) + "\n").utf8))
        return ExitCode(2)
    }
}
