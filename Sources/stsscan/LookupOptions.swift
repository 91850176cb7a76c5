import ArgumentParser
import STSEngine
import STSScanner

/// The network options that change the answer for one domain: which resolver is asked and
/// how patiently, which CAs are trusted, how long a policy fetch or an SMTP wait may take,
/// what the scanner calls itself (User-Agent, EHLO name), and the ports of test worlds.
/// `check` takes these alone; `scan` and `world scan` add `ThroughputOptions`, which only
/// pace a survey of many domains.
///
/// Every option is optional here and its default applied in `apply(to:)`: a scan resumed
/// with `--resume` takes each option not given from the scan's record (`scans.options`), and
/// refuses one given with another value (`ScanRequest.adoptingRecord`), so the options need
/// to know what was given (`given`).
struct LookupOptions: ParsableArguments {
    @Option(name: .customLong("resolver"),
            help: ArgumentHelp("DNS resolver IP[:PORT]; repeat for several (default: the system's resolv.conf).",
                               valueName: "ip[:port]"))
    var resolvers: [String] = []

    @Option(help: ArgumentHelp("Trust these CA certificates (PEM) for policy hosts instead of the system store.",
                               valueName: "pem"))
    var caFile: String?

    @Option(help: ArgumentHelp("Seconds before one DNS try times out (default: \(OptionDefaults.dnsTimeout)).",
                               valueName: "seconds"))
    var dnsTimeout: Double?

    @Option(help: ArgumentHelp("DNS tries per query, first try included (default: \(OptionDefaults.dnsTries)).", valueName: "n"))
    var dnsTries: Int?

    @Option(help: ArgumentHelp("Seconds allowed for a whole policy fetch (default: \(OptionDefaults.fetchTimeout)).",
                               valueName: "seconds"))
    var fetchTimeout: Double?

    @Option(help: ArgumentHelp("Seconds for each SMTP wait (connect, greeting, each reply); a probe takes at most three "
                               + "(default: \(OptionDefaults.smtpTimeout)).", valueName: "seconds"))
    var smtpTimeout: Double?

    @Option(help: ArgumentHelp("Name sent in EHLO: a name of this machine whose reverse DNS matches (default: the host name).",
                               valueName: "name"))
    var ehloName: String?

    @Option(help: ArgumentHelp("HTTP User-Agent of policy fetches (default: \(OptionDefaults.userAgent)).", valueName: "text"))
    var userAgent: String?

    @Option(help: ArgumentHelp("HTTPS port of policy hosts (443; for test worlds only).", visibility: .hidden))
    var policyPort: Int?

    @Option(help: ArgumentHelp("SMTP port of MX hosts (25; for test worlds only).", visibility: .hidden))
    var smtpPort: Int?

    func validate() throws {
        let dnsTimeout = dnsTimeout ?? OptionDefaults.dnsTimeout, fetchTimeout = fetchTimeout ?? OptionDefaults.fetchTimeout
        let smtpTimeout = smtpTimeout ?? OptionDefaults.smtpTimeout, smtpPort = smtpPort ?? OptionDefaults.smtpPort
        guard dnsTimeout > 0, dnsTimeout <= 60 else { throw ValidationError("--dns-timeout must be in (0, 60] seconds") }
        guard (1...10).contains(dnsTries ?? OptionDefaults.dnsTries) else { throw ValidationError("--dns-tries must be 1...10") }
        guard fetchTimeout > 0, fetchTimeout <= 300 else { throw ValidationError("--fetch-timeout must be in (0, 300] seconds") }
        for resolver in resolvers where !ResolverAddress.isValid(resolver) {
            throw ValidationError("--resolver '\(resolver)' is not IP[:PORT] (e.g. 127.0.0.53 or 127.0.0.53:5300)")
        }
        guard smtpTimeout > 0, smtpTimeout <= 300 else { throw ValidationError("--smtp-timeout must be in (0, 300] seconds") }
        guard (1...65535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 1...65535") }
        if let ehloName, ehloName.isEmpty || ehloName.contains(where: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            throw ValidationError("--ehlo-name '\(ehloName)' is not a host name (letters, digits, '.', '-')")
        }
    }

    /// Sets these options, defaults for those not given, in an engine configuration.
    func apply(to config: inout EngineConfiguration) {
        config.resolvers = resolvers
        config.caFile = caFile
        config.dnsTimeoutMs = Int((dnsTimeout ?? OptionDefaults.dnsTimeout) * 1000)
        config.dnsTries = dnsTries ?? OptionDefaults.dnsTries
        config.fetchTimeoutMs = Int((fetchTimeout ?? OptionDefaults.fetchTimeout) * 1000)
        config.connectTimeoutMs = min(config.connectTimeoutMs, config.fetchTimeoutMs)
        config.userAgent = userAgent ?? OptionDefaults.userAgent
        config.smtpTimeoutMs = Int((smtpTimeout ?? OptionDefaults.smtpTimeout) * 1000)
    }

    /// The HTTPS port of policy hosts, default applied.
    var policyPortValue: Int { policyPort ?? OptionDefaults.policyPort }

    /// How MX hosts are probed in `mode` (`--mx-probe` is a throughput option; `check` always
    /// probes): the EHLO name and SMTP port, defaults applied.
    func mxProbeSettings(mode: MXProbeMode) -> MXProbeSettings {
        MXProbeSettings(mode: mode, ehloName: ehloName ?? OptionDefaults.ehloName, port: smtpPort ?? OptionDefaults.smtpPort)
    }

    /// The options given on the command line, by name (`ScanRequest.recordedKeys(setBy:)`
    /// turns them into the keys of the scan's record).
    var given: Set<String> {
        let options: [(name: String, isGiven: Bool)] = [
            ("--resolver", !resolvers.isEmpty), ("--ca-file", caFile != nil), ("--dns-timeout", dnsTimeout != nil),
            ("--dns-tries", dnsTries != nil), ("--fetch-timeout", fetchTimeout != nil), ("--smtp-timeout", smtpTimeout != nil),
            ("--ehlo-name", ehloName != nil), ("--user-agent", userAgent != nil), ("--policy-port", policyPort != nil),
            ("--smtp-port", smtpPort != nil),
        ]
        return Set(options.filter(\.isGiven).map(\.name))
    }
}
