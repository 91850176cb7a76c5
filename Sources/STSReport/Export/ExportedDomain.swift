/// One input entry of a scan as `export` and `scan --jsonl` write it: the `results` view's
/// columns, then the entry's findings, MX hosts (with the STARTTLS probe of each host when it
/// was probed) and the policy's mx patterns. Read from the database by `ScanRowReader`, so
/// the stream and the export of a scan are built from the same rows by the same code.
public struct ExportedDomain: Sendable, Hashable {
    /// The `results` view's columns, in `ScanRowReader.resultColumns` order, as SQLite
    /// returned them (integers stay integers, NULL stays null).
    public var columns: [ReportValue]
    public var findings: [Finding]
    public var mxHosts: [MXHostRow]
    public var policyMX: [String]

    /// The entry's position in the input list (the `position` column).
    public var position: Int64 {
        if case .integer(let value) = columns[ScanRowReader.positionIndex] { return value }
        return -1
    }

    /// A `findings` row.
    public struct Finding: Sendable, Hashable {
        public var code: String
        public var severity: String
        public var stage: String
        public var detail: String?
    }

    /// An `mx_hosts` row and, when the host was probed in this scan, its `mx_probes` row.
    public struct MXHostRow: Sendable, Hashable {
        public var preference: ReportValue
        public var host: String
        /// 1/0 when coverage was computed, NULL otherwise.
        public var covered: ReportValue
        public var probe: Probe?
    }

    /// The outcome of an MX host's STARTTLS probe (`mx_probes`).
    public struct Probe: Sendable, Hashable {
        public var outcome: String
        public var detail: ReportValue
        public var address: ReportValue
        public var tlsVersion: ReportValue
        public var certNotAfter: ReportValue
        /// Every address tried, `ADDR outcome` entries joined by `, ` (`mx_probes.attempts`).
        public var attempts: ReportValue = .null
    }

    public init(columns: [ReportValue], findings: [Finding] = [], mxHosts: [MXHostRow] = [], policyMX: [String] = []) {
        self.columns = columns
        self.findings = findings
        self.mxHosts = mxHosts
        self.policyMX = policyMX
    }
}
