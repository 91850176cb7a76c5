import ArgumentParser
import Foundation
import STSCore
import STSEngine
import STSScanner
import STSStore

/// `stsscan check DOMAIN`: one domain, explained step by step for its operator.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check one domain's MTA-STS and TLS-RPT deployment and explain every finding.",
        discussion: "A URL or a mail address is taken for the domain in it, a policy URL or policy host (mta-sts.D) or a record name (_mta-sts.D, _smtp._tls.D) for D (and said so). Exit status: 0 when nothing is an error, 1 when a finding is an error, 2 on usage errors, \(CheckCommand.environmentStatus) when the resolver does not answer (no verdict: the domain was not checked).")

    @Argument(help: "The mail domain, e.g. example.com (U-labels are converted to A-labels).")
    var domain: String

    @Flag(help: "Print one JSON object instead of the explanation.")
    var json = false

    // One domain needs no survey throughput options (fetches in flight, per-IP limits, query
    // rate): check takes only what changes its answer, with the defaults and validation of `scan`.
    @OptionGroup var lookup: LookupOptions

    func validate() throws {
        _ = try CheckInput.domain(domain)
    }

    func run() async throws {
        let (name, note) = try CheckInput.domain(domain)
        if let note { FileHandle.standardError.write(Data("stsscan: \(note)\n".utf8)) }
        var configuration = EngineConfiguration()
        lookup.apply(to: &configuration)
        // One domain puts no load on the resolver: a timeout is the name's, not noise to ask again.
        configuration.dnsRequeries = 0
        configuration.policyCertificates = true
        try await Engine.run(configuration: configuration) { engine in
            // check always probes the MX hosts: an operator wants to know before mail bounces.
            let probe = DomainProbe(engine: engine, policyPort: lookup.policyPortValue, mxProbe: lookup.mxProbeSettings(mode: .all))
            let progress = CheckProgress.start(domain: name)
            let (result, steps) = await probe.probe(InputEntry(position: 0, line: 1, rank: nil, raw: name), explain: true)
            await progress.stop()
            if let failure = await Self.resolverFailure(result, domain: name, engine: engine) {
                let resolvers = configuration.resolvers.isEmpty ? "the system's resolver (/etc/resolv.conf)"
                    : "the resolver " + configuration.resolvers.joined(separator: ", ")
                let message = "\(resolvers) does not answer (\(failure)): no verdict on \(name), which was not checked; "
                    + "check --resolver and the network, then run check again"
                FileHandle.standardError.write(Data("stsscan: \(DetailText.escapeForTerminal(message))\n".utf8))
                if json {
                    let object: [String: Any] = ["domain": result.domain, "verdict": NSNull(), "environment_error": message]
                    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
                    FileHandle.standardOutput.write(data + Data("\n".utf8))
                }
                throw ExitCode(Self.environmentStatus)
            }
            let output = json ? CheckReport.json(result, steps: steps) : CheckReport.text(result, steps: steps)
            FileHandle.standardOutput.write(Data(output.utf8))
            if result.primaryError != nil { throw ExitCode(1) }
        }
    }
}

extension CheckCommand {
    /// Exit status when the resolver does not answer: the check could not run (neither a
    /// verdict, 0/1, nor a usage error, 2).
    static let environmentStatus: Int32 = 3

    /// Why the resolver, not the domain, failed: when the domain's lookups timed out or could
    /// not be sent, a lookup of its top-level domain (which every working resolver answers)
    /// tells whether the resolver answers at all. nil when it does (the failure is the domain's).
    static func resolverFailure(_ r: DomainRecord, domain: String, engine: Engine) async -> String? {
        let suspicious: Set<FindingCode> = [.mxDNSTimeout, .mxDNSError, .txtDNSTimeout, .txtDNSError,
                                            .tlsrptDNSTimeout, .tlsrptDNSError]
        guard r.findings.contains(where: { suspicious.contains($0.code) }) else { return nil }
        let tld = String(domain.split(separator: ".").last ?? Substring(domain))
        let control = await engine.resolve(tld, .txt)
        switch control.status {
        case .timeout: return "a lookup of the top-level domain \(tld) timed out too"
        case .refused: return "it refuses queries: a lookup of the top-level domain \(tld) was REFUSED too"
        case .error(let message): return "a lookup of the top-level domain \(tld) failed too: \(message)"
        default: return nil
        }
    }
}

/// "checking example.com ... 3 s" on standard error while `check` waits on slow lookups;
/// only on a terminal, and erased before the answer is printed.
struct CheckProgress {
    let task: Task<Void, Never>?

    static func start(domain: String) -> CheckProgress {
        guard isatty(STDERR_FILENO) == 1 else { return CheckProgress(task: nil) }
        let shown = DetailText.escapeForTerminal(domain)
        return CheckProgress(task: Task {
            var seconds = 0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if Task.isCancelled { break }
                seconds += 1
                let line = "\rchecking \(shown): DNS, policy fetch, MX STARTTLS probes ... \(seconds) s"
                FileHandle.standardError.write(Data(line.utf8))
            }
            if seconds > 0 { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
        })
    }

    func stop() async {
        task?.cancel()
        await task?.value
    }
}
