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
    /// The keys of `recordedOptions` set on the command line ("resolvers" for `--resolver`;
    /// `recordedKeys(setBy:)` makes them from the options given): `--resume` takes every
    /// other option from the scan's record (`adoptingRecord`). nil:
    /// every option counts as given, so any difference from the record is refused.
    public var givenOptions: Set<String>?

    public init(listPath: String, databasePath: String, engine: EngineConfiguration, pipeline: ScanPipeline.Settings) {
        self.listPath = listPath
        self.databasePath = databasePath
        self.engine = engine
        self.pipeline = pipeline
    }
}
