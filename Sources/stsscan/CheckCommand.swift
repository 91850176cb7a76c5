import ArgumentParser
import Foundation
import STSCore
import STSEngine
import STSScanner

/// `stsscan check DOMAIN`: one domain, explained step by step for its operator.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check one domain's MTA-STS and TLS-RPT deployment and explain every finding.",
        discussion: "Exit status: 0 when nothing is an error, 1 when a finding is an error, 2 on usage errors.")

    @Argument(help: "The mail domain, e.g. example.com (U-labels are converted to A-labels).")
    var domain: String

    @Flag(help: "Print one JSON object instead of the explanation.")
    var json = false

    @OptionGroup var engine: EngineOptions
    @OptionGroup var mx: MXProbeOptions

    func run() async throws {
        var configuration = self.engine.configuration
        mx.apply(to: &configuration)
        let engine = try Engine(configuration: configuration)
        defer { engine.shutdown() }
        // check always probes the MX hosts: an operator wants to know before mail bounces.
        let probe = DomainProbe(engine: engine, policyPort: self.engine.policyPort, mxProbe: mx.settings(mode: .all))
        let (result, steps) = await probe.probe(InputEntry(position: 0, line: 1, rank: nil, raw: domain), explain: true)
        let output = json ? CheckReport.json(result, steps: steps) : CheckReport.text(result, steps: steps)
        FileHandle.standardOutput.write(Data(output.utf8))
        if result.primaryError != nil { throw ExitCode(1) }
    }
}
