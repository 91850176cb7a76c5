import ArgumentParser
import Foundation
import STSEngine
import STSScanner
import STSWorld

/// `stsscan world scan DIR`: `stsscan scan` of a world's domains.csv with the world's
/// resolver, CA and the scan settings its ground truth assumes.
struct WorldScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a running world's domains.csv with its resolver and CA (a wrapper over `stsscan scan`).")

    @Argument(help: "The world directory.")
    var directory: String

    @Option(help: ArgumentHelp("SQLite database to write.", valueName: "file"))
    var db: String?

    @Flag(help: "Query NSD directly instead of dnsdist (no injected latency or faults; benchmarks).")
    var direct = false

    @Flag(help: "Continue the newest unfinished scan in the database.")
    var resume = false

    @Option(help: "Domains probed at once.")
    var concurrency: Int = 1000

    @Option(help: "Seconds before one DNS try times out (default: the world's setting).")
    var dnsTimeout: Double?

    @Option(help: "DNS tries per query (default: the world's setting).")
    var dnsTries: Int?

    @Option(help: "Seconds allowed for a policy fetch (default: the world's setting).")
    var fetchTimeout: Double?

    @Option(help: "HTTPS fetches in flight at most.")
    var maxFetches: Int = 64

    @Option(help: "Concurrent connections per policy-host IP address.")
    var perIP: Int = 64

    @Option(help: "Maximum DNS queries per second (default: unlimited).")
    var rate: Double?

    @Option(help: "DNS queries outstanding at once.")
    var dnsInFlight: Int = 512

    @Option(help: "DNS channels (each has its own sockets and query-id space).")
    var dnsChannels: Int = 4

    @Option(help: ArgumentHelp("Domain list to scan instead of the world's domains.csv.", valueName: "file"))
    var list: String?

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    @OptionGroup var mx: MXProbeOptions

    func run() async throws {
        let dir = URL(fileURLWithPath: directory)
        let manifest: WorldManifest
        do {
            manifest = try WorldManifest.load(from: dir)
        } catch {
            throw CLIError("'\(directory)' is not a world directory (no readable world.json): build one with `stsscan world build`")
        }
        var engine = EngineConfiguration()
        engine.resolvers = [direct ? manifest.dns.nsd : manifest.dns.dnsdist]
        engine.caFile = dir.appendingPathComponent(manifest.caFile).path
        engine.dnsTimeoutMs = dnsTimeout.map { Int($0 * 1000) } ?? manifest.scan.dnsTimeoutMs
        engine.dnsTries = dnsTries ?? manifest.scan.dnsTries
        engine.fetchTimeoutMs = fetchTimeout.map { Int($0 * 1000) } ?? manifest.scan.fetchTimeoutSeconds * 1000
        engine.connectTimeoutMs = min(engine.connectTimeoutMs, engine.fetchTimeoutMs)
        engine.maxFetches = maxFetches
        engine.perIP = perIP
        engine.maxQueriesPerSecond = rate
        engine.dnsChannels = dnsChannels
        engine.maxQueriesInFlight = dnsInFlight
        mx.apply(to: &engine)

        let listPath = list ?? dir.appendingPathComponent(manifest.domainsFile).path
        var settings = ScanPipeline.Settings()
        settings.concurrency = concurrency
        var request = ScanRequest(listPath: listPath, databasePath: db ?? dir.appendingPathComponent("scan.sqlite").path,
                                  engine: engine, pipeline: settings)
        request.resume = resume
        request.mxProbe = mx.settings()
        request.notes = ["world": dir.path, "world_seed": String(manifest.seed), "world_resolver": direct ? "nsd" : "dnsdist"]
        if quiet { request.progress = .quiet }
        try await ScanCommand.execute(request)
    }
}
