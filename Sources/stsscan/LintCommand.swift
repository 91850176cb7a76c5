import ArgumentParser
import Foundation

/// `stsscan lint`: check what an operator is about to publish, with no network access.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check MTA-STS / TLS-RPT records, a policy file, or an mx pattern offline.",
        discussion: """
        Findings use the codes listed in docs/findings.md.

        Exit status: 0 valid (or matching), 1 not valid (or not matching), 2 usage error.
        """,
        subcommands: [LintTXTCommand.self, LintPolicyCommand.self, LintTLSRPTCommand.self, LintMatchCommand.self]
    )

    /// `stsscan lint` alone is a usage error (exit 2): print the help to standard error.
    func run() throws {
        let text = "stsscan: choose what to check: txt, policy, tlsrpt or match.\n\n" + Stsscan.helpMessage(for: Self.self)
        FileHandle.standardError.write(Data((text + "\n").utf8))
        throw ExitCode(2)
    }
}
