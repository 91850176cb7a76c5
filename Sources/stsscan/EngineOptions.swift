import ArgumentParser
import Foundation
import STSCore
import STSEngine

/// Network options shared by `scan`, `check` and `world scan`.
///
/// Every option is optional here and its default applied in `configuration`: a scan resumed
/// with `--resume` takes each option not given from the scan's record (`scans.options`), and
/// refuses one given with another value (`ScanRequest.adoptingRecord`), so the options need
/// to know what was given (`given`).
struct EngineOptions: ParsableArguments {
    /// `scan`'s defaults (those of `EngineConfiguration`), in the options' units.
    enum Default {
        static let engine = EngineConfiguration()
        static let dnsTimeout = Double(engine.dnsTimeoutMs) / 1000
        static let dnsTries = engine.dnsTries
        static let dnsRequeries = engine.dnsRequeries
        static let fetchTimeout = Double(engine.fetchTimeoutMs) / 1000
        static let maxFetches = engine.maxFetches
        static let perIP = engine.perIP
        static let stallAfter = Double(engine.stallAfterMs) / 1000
        static let perIPMax = engine.perIPMaxOpen
        static let userAgent = engine.userAgent
        static let policyPort = 443
    }

    @Option(name: .customLong("resolver"),
            help: ArgumentHelp("DNS resolver IP[:PORT]; repeat for several (default: the system's resolv.conf).",
                               valueName: "ip[:port]"))
    var resolvers: [String] = []

    @Option(help: ArgumentHelp("Trust these CA certificates (PEM) for policy hosts instead of the system store.",
                               valueName: "pem"))
    var caFile: String?

    @Option(help: ArgumentHelp("Seconds before one DNS try times out (default: \(Default.dnsTimeout)).", valueName: "seconds"))
    var dnsTimeout: Double?

    @Option(help: ArgumentHelp("DNS tries per query, first try included (default: \(Default.dnsTries)).", valueName: "n"))
    var dnsTries: Int?

    @Option(help: ArgumentHelp("Rounds a lookup whose every try timed out is asked again, later, before it is "
                               + "recorded as a timeout (0...5; under load a resolver path drops what it would answer; "
                               + "default: \(Default.dnsRequeries)).",
                               valueName: "n"))
    var dnsRequeries: Int?

    @Option(help: ArgumentHelp("Seconds allowed for a whole policy fetch (default: \(Default.fetchTimeout)).", valueName: "seconds"))
    var fetchTimeout: Double?

    @Option(help: ArgumentHelp("HTTPS fetches in flight at most (default: \(Default.maxFetches)).", valueName: "n"))
    var maxFetches: Int?

    @Option(help: ArgumentHelp("Fetches one policy-host IP address serves at once (politeness; stalled fetches excepted; "
                               + "default: \(Default.perIP)).", valueName: "n"))
    var perIP: Int?

    @Option(help: ArgumentHelp("Most seconds before a fetch counts as stalled and frees its per-IP slot "
                               + "(sooner for addresses that usually answer fast; see docs/architecture.md; "
                               + "default: \(Default.stallAfter)).",
                               valueName: "seconds"))
    var stallAfter: Double?

    @Option(help: ArgumentHelp("Connections open to one IP address at most, stalled fetches included (default: \(Default.perIPMax)).",
                               valueName: "n"))
    var perIPMax: Int?

    @Option(help: ArgumentHelp("New connections per second to one IP address at most (default: unlimited).",
                               valueName: "n"))
    var perIPRate: Double?

    @Option(help: ArgumentHelp("Maximum DNS queries per second (default: unlimited).", valueName: "rate"))
    var rate: Double?

    @Option(help: ArgumentHelp("DNS queries outstanding at once, fixed (default: a window that adapts to the "
                               + "resolver, 16...2048: grows with answers, shrinks when answers queue or tries time out).", valueName: "n"))
    var dnsInFlight: Int?

    @Option(help: ArgumentHelp("HTTP User-Agent of policy fetches (default: \(Default.userAgent)).", valueName: "text"))
    var userAgent: String?

    @Option(help: ArgumentHelp("HTTPS port of policy hosts (443; for test worlds only).", visibility: .hidden))
    var policyPort: Int?

    /// The HTTPS port of policy hosts, default applied.
    var policyPortValue: Int { policyPort ?? Default.policyPort }

    func validate() throws {
        let dnsTimeout = dnsTimeout ?? Default.dnsTimeout, fetchTimeout = fetchTimeout ?? Default.fetchTimeout
        let perIP = perIP ?? Default.perIP, stallAfter = stallAfter ?? Default.stallAfter
        guard dnsTimeout > 0, dnsTimeout <= 60 else { throw ValidationError("--dns-timeout must be in (0, 60] seconds") }
        guard (1...10).contains(dnsTries ?? Default.dnsTries) else { throw ValidationError("--dns-tries must be 1...10") }
        guard (0...5).contains(dnsRequeries ?? Default.dnsRequeries) else { throw ValidationError("--dns-requeries must be 0...5") }
        guard fetchTimeout > 0, fetchTimeout <= 300 else { throw ValidationError("--fetch-timeout must be in (0, 300] seconds") }
        guard (maxFetches ?? Default.maxFetches) >= 1 else { throw ValidationError("--max-fetches must be at least 1") }
        if let dnsInFlight, dnsInFlight < 1 { throw ValidationError("--dns-in-flight must be at least 1") }
        guard perIP >= 1 else { throw ValidationError("--per-ip must be at least 1") }
        guard stallAfter >= 0.05, stallAfter <= 300 else { throw ValidationError("--stall-after must be in [0.05, 300] seconds") }
        guard (perIPMax ?? Default.perIPMax) >= perIP else { throw ValidationError("--per-ip-max must be at least --per-ip (\(perIP))") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let perIPRate, !(perIPRate > 0) { throw ValidationError("--per-ip-rate must be positive") }
        for resolver in resolvers where !ResolverAddress.isValid(resolver) {
            throw ValidationError("--resolver '\(resolver)' is not IP[:PORT] (e.g. 127.0.0.53 or 127.0.0.53:5300)")
        }
    }

    /// The engine configuration these options describe (defaults for options not given).
    var configuration: EngineConfiguration {
        var config = EngineConfiguration()
        config.resolvers = resolvers
        config.caFile = caFile
        config.dnsTimeoutMs = Int((dnsTimeout ?? Default.dnsTimeout) * 1000)
        config.dnsTries = dnsTries ?? Default.dnsTries
        config.dnsRequeries = dnsRequeries ?? Default.dnsRequeries
        config.fetchTimeoutMs = Int((fetchTimeout ?? Default.fetchTimeout) * 1000)
        config.connectTimeoutMs = min(config.connectTimeoutMs, config.fetchTimeoutMs)
        config.maxFetches = maxFetches ?? Default.maxFetches
        config.perIP = perIP ?? Default.perIP
        config.stallAfterMs = Int((stallAfter ?? Default.stallAfter) * 1000)
        config.perIPMaxOpen = perIPMax ?? Default.perIPMax
        config.perIPConnectionsPerSecond = perIPRate
        config.maxQueriesPerSecond = rate
        if let dnsInFlight {
            config.maxQueriesInFlight = dnsInFlight
            config.adaptiveQueriesInFlight = false
        }
        config.userAgent = userAgent ?? Default.userAgent
        return config
    }

    /// The keys of `scans.options` (`ScanRequest.recordedOptions`) these options set on the
    /// command line; "resolvers" for `--resolver`.
    var given: Set<String> {
        var keys: Set<String> = []
        if !resolvers.isEmpty { keys.insert("resolvers") }
        if caFile != nil { keys.insert("ca_file") }
        if dnsTimeout != nil { keys.insert("dns_timeout_ms") }
        if dnsTries != nil { keys.insert("dns_tries") }
        if dnsRequeries != nil { keys.insert("dns_requeries") }
        if fetchTimeout != nil { keys.formUnion(["fetch_timeout_ms", "connect_timeout_ms"]) }
        if maxFetches != nil { keys.insert("max_fetches") }
        if perIP != nil { keys.insert("per_ip") }
        if stallAfter != nil { keys.insert("stall_after_ms") }
        if perIPMax != nil { keys.insert("per_ip_max_open") }
        if perIPRate != nil { keys.insert("per_ip_rate") }
        if rate != nil { keys.insert("rate") }
        if dnsInFlight != nil { keys.formUnion(["dns_in_flight", "dns_in_flight_cap"]) }
        if userAgent != nil { keys.insert("user_agent") }
        if policyPort != nil { keys.insert("policy_port") }
        return keys
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
