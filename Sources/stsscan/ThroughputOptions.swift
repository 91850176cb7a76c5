import ArgumentParser
import STSEngine
import STSScanner

/// The network options that only pace a survey of many domains: DNS query rate and window,
/// requeries of timed-out lookups, fetches in flight, per-address politeness, and which
/// domains' MX hosts are probed. They change how fast a survey runs and how kindly it
/// treats servers, not what one domain's lookups find, so `check` has none of them (see
/// `LookupOptions`). Optional for the same reason as `LookupOptions`' options.
struct ThroughputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rounds a lookup whose every try timed out is asked again, later, before it is "
                               + "recorded as a timeout (0...5; under load a resolver path drops what it would answer; "
                               + "default: \(OptionDefaults.dnsRequeries)).",
                               valueName: "n"))
    var dnsRequeries: Int?

    @Option(help: ArgumentHelp("HTTPS fetches in flight at most (default: \(OptionDefaults.maxFetches)).", valueName: "n"))
    var maxFetches: Int?

    @Option(help: ArgumentHelp("Fetches one policy-host IP address serves at once (politeness; stalled fetches excepted; "
                               + "default: \(OptionDefaults.perIP)).", valueName: "n"))
    var perIP: Int?

    @Option(help: ArgumentHelp("Most seconds before a fetch counts as stalled and frees its per-IP slot "
                               + "(sooner for addresses that usually answer fast; see docs/architecture.md; "
                               + "default: \(OptionDefaults.stallAfter)).",
                               valueName: "seconds"))
    var stallAfter: Double?

    @Option(help: ArgumentHelp("Connections open to one IP address at most, stalled fetches included (default: \(OptionDefaults.perIPMax)).",
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

    @Option(help: ArgumentHelp(
        "Probe MX hosts' STARTTLS: policy (domains with a valid enforce/testing policy: the delivery verdict), all (every domain with MX hosts), none.",
        valueName: "policy|all|none"))
    var mxProbe: MXProbeMode?

    @Option(help: ArgumentHelp("SMTP connections at once per MX address (politeness; mail servers block aggressive "
                               + "scanners; default: \(OptionDefaults.mxPerIP)).", valueName: "n"))
    var mxPerIP: Int?

    func validate() throws {
        let perIP = perIP ?? OptionDefaults.perIP, stallAfter = stallAfter ?? OptionDefaults.stallAfter
        let mxPerIP = mxPerIP ?? OptionDefaults.mxPerIP
        guard (0...5).contains(dnsRequeries ?? OptionDefaults.dnsRequeries) else { throw ValidationError("--dns-requeries must be 0...5") }
        guard (maxFetches ?? OptionDefaults.maxFetches) >= 1 else { throw ValidationError("--max-fetches must be at least 1") }
        if let dnsInFlight, dnsInFlight < 1 { throw ValidationError("--dns-in-flight must be at least 1") }
        guard perIP >= 1 else { throw ValidationError("--per-ip must be at least 1") }
        guard stallAfter >= 0.05, stallAfter <= 300 else { throw ValidationError("--stall-after must be in [0.05, 300] seconds") }
        guard (perIPMax ?? OptionDefaults.perIPMax) >= perIP else { throw ValidationError("--per-ip-max must be at least --per-ip (\(perIP))") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let perIPRate, !(perIPRate > 0) { throw ValidationError("--per-ip-rate must be positive") }
        guard mxPerIP >= 1, mxPerIP <= 64 else { throw ValidationError("--mx-per-ip must be 1...64") }
    }

    /// Sets these options, defaults for those not given, in an engine configuration.
    func apply(to config: inout EngineConfiguration) {
        config.dnsRequeries = dnsRequeries ?? OptionDefaults.dnsRequeries
        config.maxFetches = maxFetches ?? OptionDefaults.maxFetches
        config.perIP = perIP ?? OptionDefaults.perIP
        config.stallAfterMs = Int((stallAfter ?? OptionDefaults.stallAfter) * 1000)
        config.perIPMaxOpen = perIPMax ?? OptionDefaults.perIPMax
        config.perIPConnectionsPerSecond = perIPRate
        config.maxQueriesPerSecond = rate
        if let dnsInFlight {
            config.maxQueriesInFlight = dnsInFlight
            config.adaptiveQueriesInFlight = false
        }
        config.mxPerIP = mxPerIP ?? OptionDefaults.mxPerIP
    }

    /// Which domains' MX hosts a survey probes, default applied.
    var mxProbeMode: MXProbeMode { mxProbe ?? OptionDefaults.mxProbe }

    /// The options given on the command line, by name (see `LookupOptions.given`).
    var given: Set<String> {
        let options: [(name: String, isGiven: Bool)] = [
            ("--dns-requeries", dnsRequeries != nil), ("--max-fetches", maxFetches != nil), ("--per-ip", perIP != nil),
            ("--stall-after", stallAfter != nil), ("--per-ip-max", perIPMax != nil), ("--per-ip-rate", perIPRate != nil),
            ("--rate", rate != nil), ("--dns-in-flight", dnsInFlight != nil), ("--mx-probe", mxProbe != nil),
            ("--mx-per-ip", mxPerIP != nil),
        ]
        return Set(options.filter(\.isGiven).map(\.name))
    }
}

extension MXProbeMode: ExpressibleByArgument {}
