import ArgumentParser
import Foundation
import STSCore
import STSEngine

/// Network options shared by `scan`, `check` and `world scan`.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("resolver"),
            help: ArgumentHelp("DNS resolver IP[:PORT]; repeat for several (default: the system's resolv.conf).",
                               valueName: "ip[:port]"))
    var resolvers: [String] = []

    @Option(help: ArgumentHelp("Trust these CA certificates (PEM) for policy hosts instead of the system store.",
                               valueName: "pem"))
    var caFile: String?

    @Option(help: "Seconds before one DNS try times out.")
    var dnsTimeout: Double = 2

    @Option(help: "DNS tries per query (first try included).")
    var dnsTries: Int = 3

    @Option(help: ArgumentHelp("Rounds a lookup whose every try timed out is asked again, later, before it is "
                               + "recorded as a timeout (0...5; under load a resolver path drops what it would answer).",
                               valueName: "n"))
    var dnsRequeries: Int = 1

    @Option(help: "Seconds allowed for a whole policy fetch.")
    var fetchTimeout: Double = 20

    @Option(help: "HTTPS fetches in flight at most.")
    var maxFetches: Int = 64

    @Option(help: "Fetches one policy-host IP address serves at once (politeness; stalled fetches excepted).")
    var perIP: Int = 4

    @Option(help: ArgumentHelp("Most seconds before a fetch counts as stalled and frees its per-IP slot "
                               + "(sooner for addresses that usually answer fast; see docs/architecture.md).",
                               valueName: "seconds"))
    var stallAfter: Double = 3

    @Option(help: "Connections open to one IP address at most, stalled fetches included.")
    var perIPMax: Int = 32

    @Option(help: ArgumentHelp("New connections per second to one IP address at most (default: unlimited).",
                               valueName: "n"))
    var perIPRate: Double?

    @Option(help: "Maximum DNS queries per second (default: unlimited).")
    var rate: Double?

    @Option(help: ArgumentHelp("DNS queries outstanding at once, fixed (default: a window that adapts to the "
                               + "resolver, 16...2048: grows with answers, shrinks when answers queue or tries time out).", valueName: "n"))
    var dnsInFlight: Int?

    @Option(help: "HTTP User-Agent of policy fetches.")
    var userAgent: String = "stsscan/\(STSScanVersion.current) (+MTA-STS survey)"

    @Option(help: ArgumentHelp("HTTPS port of policy hosts (443; for test worlds only).", visibility: .hidden))
    var policyPort: Int = 443

    func validate() throws {
        guard dnsTimeout > 0, dnsTimeout <= 60 else { throw ValidationError("--dns-timeout must be in (0, 60] seconds") }
        guard (1...10).contains(dnsTries) else { throw ValidationError("--dns-tries must be 1...10") }
        guard (0...5).contains(dnsRequeries) else { throw ValidationError("--dns-requeries must be 0...5") }
        guard fetchTimeout > 0, fetchTimeout <= 300 else { throw ValidationError("--fetch-timeout must be in (0, 300] seconds") }
        guard maxFetches >= 1 else { throw ValidationError("--max-fetches must be at least 1") }
        if let dnsInFlight, dnsInFlight < 1 { throw ValidationError("--dns-in-flight must be at least 1") }
        guard perIP >= 1 else { throw ValidationError("--per-ip must be at least 1") }
        guard stallAfter >= 0.05, stallAfter <= 300 else { throw ValidationError("--stall-after must be in [0.05, 300] seconds") }
        guard perIPMax >= perIP else { throw ValidationError("--per-ip-max must be at least --per-ip (\(perIP))") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let perIPRate, perIPRate <= 0 { throw ValidationError("--per-ip-rate must be positive") }
        for resolver in resolvers where !ResolverAddress.isValid(resolver) {
            throw ValidationError("--resolver '\(resolver)' is not IP[:PORT] (e.g. 127.0.0.53 or 127.0.0.53:5300)")
        }
    }

    /// The engine configuration these options describe.
    var configuration: EngineConfiguration {
        var config = EngineConfiguration()
        config.resolvers = resolvers
        config.caFile = caFile
        config.dnsTimeoutMs = Int(dnsTimeout * 1000)
        config.dnsTries = dnsTries
        config.dnsRequeries = dnsRequeries
        config.fetchTimeoutMs = Int(fetchTimeout * 1000)
        config.connectTimeoutMs = min(config.connectTimeoutMs, config.fetchTimeoutMs)
        config.maxFetches = maxFetches
        config.perIP = perIP
        config.stallAfterMs = Int(stallAfter * 1000)
        config.perIPMaxOpen = perIPMax
        config.perIPConnectionsPerSecond = perIPRate
        config.maxQueriesPerSecond = rate
        if let dnsInFlight {
            config.maxQueriesInFlight = dnsInFlight
            config.adaptiveQueriesInFlight = false
        }
        config.userAgent = userAgent
        return config
    }
}

/// Syntax check of `--resolver` values: an IPv4 or IPv6 address, optionally with a port
/// (`[v6]:port` for IPv6 with a port).
enum ResolverAddress {
    static func isValid(_ text: String) -> Bool {
        var host = text
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return false }
                port = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            port = text[text.index(after: colon)...]
        }
        if let port, !(Int(port).map { (1...65535).contains($0) } ?? false) { return false }
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
