import STSEngine

/// What a scan used, as `scans.options` records it: the one table from which the record,
/// `--resume`'s adoption of recorded values, the option names in its messages and the keys
/// a command line sets (`recordedKeys(setBy:)`) all come. A new option is one row here.
extension ScanRequest {
    /// Every recorded option, one row per `scans.options` key.
    static var recordedOptionTable: [RecordedOption] {
        [
            .int("concurrency", "--concurrency", \.pipeline.concurrency),
            .int("batch_size", nil, \.pipeline.batchSize),
            .int("dns_timeout_ms", "--dns-timeout", \.engine.dnsTimeoutMs),
            .int("dns_tries", "--dns-tries", \.engine.dnsTries),
            .int("dns_requeries", "--dns-requeries", \.engine.dnsRequeries),
            .int("dns_channels", "--dns-channels", \.engine.dnsChannels),
            RecordedOption("dns_in_flight", "--dns-in-flight", read: {
                $0.engine.adaptiveQueriesInFlight ? "adaptive" : String($0.engine.maxQueriesInFlight)
            }, write: { request, value in
                if value == "adaptive" {
                    request.engine.adaptiveQueriesInFlight = true
                } else {
                    guard let n = Int(value) else { return false }
                    request.engine.adaptiveQueriesInFlight = false
                    request.engine.maxQueriesInFlight = n
                }
                return true
            }),
            .int("dns_in_flight_cap", "--dns-in-flight", \.engine.maxQueriesInFlight, listedWhenAdopted: false),
            .limit("rate", "--rate", \.engine.maxQueriesPerSecond),
            RecordedOption("ca_file", "--ca-file", read: { $0.engine.caFile ?? "system" },
                           write: { $0.engine.caFile = $1 == "system" ? nil : $1; return true }),
            .int("fetch_timeout_ms", "--fetch-timeout", \.engine.fetchTimeoutMs),
            .int("connect_timeout_ms", "--fetch-timeout", \.engine.connectTimeoutMs, listedWhenAdopted: false),
            .int("max_fetches", "--max-fetches", \.engine.maxFetches),
            .int("per_ip", "--per-ip", \.engine.perIP),
            .int("per_ip_max_open", "--per-ip-max", \.engine.perIPMaxOpen),
            .limit("per_ip_rate", "--per-ip-rate", \.engine.perIPConnectionsPerSecond),
            .int("stall_after_ms", "--stall-after", \.engine.stallAfterMs),
            .int("max_stalled_fetches", nil, \.engine.maxStalledFetches),
            .text("user_agent", "--user-agent", \.engine.userAgent),
            .int("policy_port", "--policy-port", \.policyPort),
            RecordedOption("mx_probe", "--mx-probe", read: { $0.mxProbe.mode.rawValue }, write: {
                guard let mode = MXProbeMode(rawValue: $1) else { return false }
                $0.mxProbe.mode = mode
                return true
            }),
            .text("ehlo_name", "--ehlo-name", \.mxProbe.ehloName),
            .int("smtp_port", "--smtp-port", \.mxProbe.port),
            .int("mx_per_ip", "--mx-per-ip", \.engine.mxPerIP),
            .int("smtp_timeout_ms", "--smtp-timeout", \.engine.smtpTimeoutMs),
        ]
    }

    /// The pseudo-key of `--resolver` in `givenOptions`: resolvers are recorded apart from
    /// the options (`scans.resolvers`).
    public static let resolversKey = "resolvers"

    /// The options as recorded in the `scans` table, so every figure is reproducible.
    var recordedOptions: [String: String] {
        var options = notes
        for row in Self.recordedOptionTable { options[row.key] = row.read(self) }
        return options
    }

    /// The keys of `scans.options` (and `resolversKey`) that the given command-line options
    /// (`--dns-timeout`) set: what `givenOptions` holds.
    public static func recordedKeys(setBy options: Set<String>) -> Set<String> {
        let table = recordedOptionTable
        assert(options.allSatisfy { option in option == "--resolver" || table.contains { $0.option == option } },
               "an option the scan record does not know: \(options)")
        var keys = Set(table.filter { $0.option.map(options.contains) ?? false }.map(\.key))
        if options.contains("--resolver") { keys.insert(resolversKey) }
        return keys
    }
}
