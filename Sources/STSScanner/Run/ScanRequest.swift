import STSEngine

/// Everything `stsscan scan` was asked to do.
public struct ScanRequest: Sendable {
    /// The domain list (`-` for standard input).
    public var listPath: String
    /// The SQLite database file (created when missing).
    public var databasePath: String
    /// Continue the newest unfinished scan of the database instead of starting one.
    public var resume: Bool = false
    /// Scan only this part of the list (`--shard K/N`); nil: the whole list. Recorded in
    /// `scans.shard`, not in the options (shards of one survey have equal options).
    public var shard: Shard?
    public var engine: EngineConfiguration
    public var pipeline: ScanPipeline.Settings
    /// The HTTPS port of policy hosts (443; other values only make sense in test worlds).
    public var policyPort: Int = 443
    /// STARTTLS probing of MX hosts and the delivery verdict.
    public var mxProbe = MXProbeSettings(mode: .policy, ehloName: "localhost")
    public var progress: ProgressReporter.Style = ProgressReporter.automaticStyle
    /// Told about every committed batch (`scan --jsonl`); nil: nobody.
    public var rowObserver: (any CommittedRowsObserver)?
    /// Extra metadata recorded with the scan (e.g. the world directory).
    public var notes: [String: String] = [:]
    /// The keys of `recordedOptions` set on the command line ("resolvers" for `--resolver`):
    /// `--resume` takes every other option from the scan's record (`adoptingRecord`). nil:
    /// every option counts as given, so any difference from the record is refused.
    public var givenOptions: Set<String>?

    public init(listPath: String, databasePath: String, engine: EngineConfiguration, pipeline: ScanPipeline.Settings) {
        self.listPath = listPath
        self.databasePath = databasePath
        self.engine = engine
        self.pipeline = pipeline
    }

    /// The options as recorded in the `scans` table, so every figure is reproducible.
    var recordedOptions: [String: String] {
        var options = notes
        options["concurrency"] = String(pipeline.concurrency)
        options["batch_size"] = String(pipeline.batchSize)
        options["dns_timeout_ms"] = String(engine.dnsTimeoutMs)
        options["dns_tries"] = String(engine.dnsTries)
        options["dns_requeries"] = String(engine.dnsRequeries)
        options["dns_channels"] = String(engine.dnsChannels)
        options["dns_in_flight"] = engine.adaptiveQueriesInFlight ? "adaptive" : String(engine.maxQueriesInFlight)
        options["dns_in_flight_cap"] = String(engine.maxQueriesInFlight)
        options["rate"] = engine.maxQueriesPerSecond.map { String($0) } ?? "unlimited"
        options["ca_file"] = engine.caFile ?? "system"
        options["fetch_timeout_ms"] = String(engine.fetchTimeoutMs)
        options["connect_timeout_ms"] = String(engine.connectTimeoutMs)
        options["max_fetches"] = String(engine.maxFetches)
        options["per_ip"] = String(engine.perIP)
        options["per_ip_max_open"] = String(engine.perIPMaxOpen)
        options["per_ip_rate"] = engine.perIPConnectionsPerSecond.map { String($0) } ?? "unlimited"
        options["stall_after_ms"] = String(engine.stallAfterMs)
        options["max_stalled_fetches"] = String(engine.maxStalledFetches)
        options["user_agent"] = engine.userAgent
        options["policy_port"] = String(policyPort)
        options["mx_probe"] = mxProbe.mode.rawValue
        options["ehlo_name"] = mxProbe.ehloName
        options["smtp_port"] = String(mxProbe.port)
        options["mx_per_ip"] = String(engine.mxPerIP)
        options["smtp_timeout_ms"] = String(engine.smtpTimeoutMs)
        return options
    }
}
