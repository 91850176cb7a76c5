import ArgumentParser
import STSCore

/// The `stsscan` command line: one root command, one file per subcommand.
@main
struct Stsscan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stsscan",
        abstract: "Measure and check MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) deployments.",
        version: STSScanVersion.current,
        subcommands: [ScanCommand.self, CheckCommand.self, LintCommand.self, WorldCommand.self,
                      ReportCommand.self, SQLCommand.self, ExportCommand.self, DiffCommand.self, MergeCommand.self,
                      ResolverCommand.self]
    )
}
