import ArgumentParser
import Foundation
import STSEngine
import STSScanner
import STSWorld

/// `stsscan world scan DIR`: `stsscan scan` of a world's domains.csv with the same defaults
/// as `scan`; only what the world dictates is preset: its resolver (the world's Unbound, or
/// NSD with `--direct`), its CA and its HTTPS port.
struct WorldScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a running world's domains.csv through its resolver, with its CA (a wrapper over `stsscan scan`).",
        discussion: """
        Every option has the default of `stsscan scan`: tests and benchmarks run what users get. \
        Only what the world dictates is preset: the resolver is the world's Unbound (a recursive \
        resolver, as real surveys use; --direct asks NSD itself, without latency or faults), the \
        CA is the world's and the policy port its HTTPS port. --resolver and --ca-file override them.
        """)

    @Argument(help: "The world directory.")
    var directory: String

    @Option(help: ArgumentHelp("SQLite database to write (default: DIR/scan.sqlite).", valueName: "file"))
    var db: String?

    @Flag(help: "Query NSD directly instead of the world's Unbound (no resolver, latency or faults; engine benchmarks).")
    var direct = false

    @Flag(help: "Continue the newest unfinished scan in the database.")
    var resume = false

    @Option(help: ArgumentHelp("Domains probed at once (default: \(ScanPipeline.Settings().concurrency)).", valueName: "n"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("DNS channels (each has its own sockets and query-id space; default: "
                               + "\(EngineConfiguration().dnsChannels)).", valueName: "n"))
    var dnsChannels: Int?

    @Option(help: ArgumentHelp("Domain list to scan instead of the world's domains.csv.", valueName: "file"))
    var list: String?

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @OptionGroup var sharding: ShardOption
    @OptionGroup var lookup: LookupOptions
    @OptionGroup var throughput: ThroughputOptions
    @OptionGroup var output: JSONLOptions

    func validate() throws {
        guard (1...100_000).contains(concurrency ?? 1) else { throw ValidationError("--concurrency must be 1...100000") }
        guard (1...64).contains(dnsChannels ?? 1) else { throw ValidationError("--dns-channels must be 1...64") }
    }

    func run() async throws {
        let dir = URL(fileURLWithPath: directory)
        let manifest: WorldManifest
        do {
            manifest = try WorldManifest.load(from: dir)
        } catch {
            throw CLIError("'\(directory)' is not a world directory (no readable world.json): build one with `stsscan world build`")
        }
        let resolver: String
        let resolverName: String
        if direct {
            (resolver, resolverName) = (manifest.dns.nsd, "nsd")
        } else if let unbound = manifest.dns.unbound {
            (resolver, resolverName) = (unbound, "unbound")
        } else {
            throw CLIError("the world in '\(directory)' was built without a recursive resolver: rebuild it with "
                           + "`stsscan world build`, or scan NSD with --direct")
        }
        var engine = EngineConfiguration()
        lookup.apply(to: &engine)
        throughput.apply(to: &engine)
        if engine.resolvers.isEmpty { engine.resolvers = [resolver] }
        if engine.caFile == nil { engine.caFile = dir.appendingPathComponent(manifest.caFile).path }
        if let dnsChannels { engine.dnsChannels = dnsChannels }

        let listPath = list ?? dir.appendingPathComponent(manifest.domainsFile).path
        var settings = ScanPipeline.Settings()
        if let concurrency { settings.concurrency = concurrency }
        var request = ScanRequest(listPath: listPath, databasePath: db ?? dir.appendingPathComponent("scan.sqlite").path,
                                  engine: engine, pipeline: settings)
        request.resume = resume
        // The world presets its resolver, CA and ports: given, as the world directory (notes) is.
        request.givenOptions = ScanRequest.recordedKeys(
            setBy: lookup.given.union(throughput.given).union(["--resolver", "--ca-file", "--policy-port"])
                .union(concurrency == nil ? [] : ["--concurrency"]).union(dnsChannels == nil ? [] : ["--dns-channels"]))
        request.shard = sharding.shard
        request.mxProbe = lookup.mxProbeSettings(mode: throughput.mxProbeMode)
        request.policyPort = Int(manifest.https.split(separator: ":").last ?? "") ?? lookup.policyPortValue
        request.notes = ["world": dir.path, "world_seed": String(manifest.seed), "world_resolver": resolverName]
        if quiet { request.progress = .quiet }
        request.rowObserver = try output.observer(databasePath: request.databasePath, listPath: listPath)
        try await ScanCommand.execute(request)
    }
}
