import ArgumentParser
import Foundation
import STSEngine
import STSReport
import STSScanner
import STSStore

/// `stsscan scan LIST --db FILE`: survey a list of domains into a SQLite database.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a list of domains (plain or Tranco rank,domain CSV) into a SQLite database.",
        discussion: """
        Every entry gets exactly one row in the `results` view, with finding codes for \
        everything observed (see docs/findings.md). Interrupt with Ctrl-C or even kill -9 and \
        continue with --resume: nothing stored is lost and nothing is stored twice.
        """)

    @Argument(help: ArgumentHelp("Domain list: one domain per line, or rank,domain CSV; - for stdin.", valueName: "list"))
    var list: String

    @Option(help: ArgumentHelp("SQLite database to write (created when missing).", valueName: "file"))
    var db: String

    @Flag(help: ArgumentHelp("Continue the newest unfinished scan in the database, skipping stored domains, with the "
                             + "options it started with (an option given with another value is refused)."))
    var resume = false

    @Option(help: ArgumentHelp("Domains probed at once (default: \(ScanPipeline.Settings().concurrency)).", valueName: "n"))
    var concurrency: Int?

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @OptionGroup var sharding: ShardOption
    @OptionGroup var lookup: LookupOptions
    @OptionGroup var throughput: ThroughputOptions
    @OptionGroup var output: JSONLOptions

    func validate() throws {
        guard (1...100_000).contains(concurrency ?? 1) else { throw ValidationError("--concurrency must be 1...100000") }
    }

    func run() async throws {
        var configuration = EngineConfiguration()
        lookup.apply(to: &configuration)
        throughput.apply(to: &configuration)
        var request = ScanRequest(listPath: list, databasePath: db, engine: configuration, pipeline: pipelineSettings)
        request.mxProbe = lookup.mxProbeSettings(mode: throughput.mxProbeMode)
        request.resume = resume
        request.givenOptions = ScanRequest.recordedKeys(
            setBy: lookup.given.union(throughput.given).union(concurrency == nil ? [] : ["--concurrency"]))
        request.shard = sharding.shard
        request.policyPort = lookup.policyPortValue
        if quiet { request.progress = .quiet }
        request.rowObserver = try output.observer(databasePath: db, listPath: list)
        try await ScanCommand.execute(request)
    }

    var pipelineSettings: ScanPipeline.Settings {
        var settings = ScanPipeline.Settings()
        if let concurrency { settings.concurrency = concurrency }
        return settings
    }

    /// Runs a scan with Ctrl-C handling and prints the summary; shared with `world scan`.
    static func execute(_ request: ScanRequest) async throws {
        let outcome: ScanRunner.Outcome
        do {
            outcome = try await InterruptibleTask.run { try await ScanRunner.run(request) }
        } catch let error as CustomStringConvertible where error is ScanError || error is InputError || error is StoreError
                    || error is ReportError {
            throw CLIError(error.description)
        }
        let s = outcome.statistics
        let request = outcome.request ?? request
        var lines = [
            outcome.interrupted ? "scan \(outcome.scanID) interrupted: resume with --resume" : "scan \(outcome.scanID) finished",
            "  entries        \(outcome.entries)",
            "  stored         \(outcome.storedTotal) (\(outcome.storedThisRun) this run)",
            "  with errors    \(outcome.errors)",
            String(format: "  time           %.1f s, %.0f domains/s", outcome.elapsedSeconds, outcome.domainsPerSecond)
                + (outcome.steadyDomainsPerSecond.map {
                    String(format: " (steady: %.0f domains/s between 10%% and 90%% of this run's domains stored)", $0)
                } ?? ""),
            "  DNS queries    \(s.dnsQueriesSent) (\(s.dnsTimeouts) lookups timed out; \(s.dnsRequeries) asked again after "
                + "their tries timed out, \(s.dnsRequeriesAnswered) of them then answered)",
            request.engine.adaptiveQueriesInFlight
                ? "  DNS in flight  adaptive: \(s.dnsWindow) at the end (\(s.dnsWindowSmallest)...\(s.dnsWindowLargest); shrank "
                    + "\(s.dnsWindowDelayDecreases)x for queueing, \(s.dnsWindowLossDecreases)x for loss; lowest round trip "
                    + String(format: "%.2f ms)", Double(s.dnsBaseRttUs) / 1000)
                : "  DNS in flight  fixed: \(s.dnsWindow)",
            "  HTTPS fetches  \(s.fetchesStarted) (\(s.fetchesStalled) stalled past their address's usual time)",
            "  MX probes      \(s.smtpProbesStarted) STARTTLS (each distinct MX host once, at each address tried; --mx-probe \(request.mxProbe.mode.rawValue))",
            "  database       \(request.databasePath)",
        ]
        if !outcome.adoptedOptions.isEmpty {
            lines.append("  options        taken from the scan's record (--resume): " + outcome.adoptedOptions.joined(separator: ", "))
        }
        if let asked = request.engine.loopNice, s.loopNice != asked {
            // Actionable: the loop is the scan's serial stage (EngineConfiguration.loopNice).
            lines.append("  note           the engine thread ran at normal priority: nice \(asked) needs root or"
                         + " CAP_SYS_NICE (about 10% more domains/s on a busy machine)")
        }
        if outcome.everyLookupFailed {
            lines.append("  warning        every DNS lookup of this run failed (timeout, refused or SERVFAIL): "
                         + "is the resolver \(request.engine.resolvers.joined(separator: ", ")) answering? Check --resolver")
        }
        if outcome.rowObserverAbandoned {
            lines.append("  --jsonl        cut short: its reader took no more lines after the interrupt; every stored row "
                         + "is in the database (--resume rewrites the file, `stsscan export` writes it)")
        }
        if outcome.interrupted { lines.append("  (interrupted: \(outcome.entries) entries read so far)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if outcome.interrupted { throw ExitCode(130) }
    }
}
