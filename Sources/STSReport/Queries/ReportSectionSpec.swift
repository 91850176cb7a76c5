/// One report section as defined in code: an id, a title, what it means, and the SQL that
/// computes it. Every output format (and the notebook's Python cells) uses this very SQL.
public struct ReportSectionSpec: Sendable, Hashable {
    public let id: String
    public let title: String
    public let description: String
    /// SQLite SQL with named parameters (`:scan_id`), runnable as is from Python's sqlite3.
    public let sql: String
    public let chart: ReportChart?
    /// The SQL reads `temp.public_suffix` (`PublicSuffixes`), loaded before it runs.
    public let needsPublicSuffixes: Bool
    /// A line chart over time (the series report's sections), nil for the others.
    public let lineChart: SeriesChart?
    /// The section compares the scan with the finished scan before it: a report leaves it
    /// out when there is none (so a single-scan report keeps its sections).
    public let needsEarlierScan: Bool
    /// A cumulative distribution chart, nil for the others.
    public let cdfChart: CDFChart?

    public init(id: String, title: String, description: String, sql: String, chart: ReportChart? = nil,
                needsPublicSuffixes: Bool = false, needsEarlierScan: Bool = false, lineChart: SeriesChart? = nil,
                cdfChart: CDFChart? = nil) {
        self.cdfChart = cdfChart
        self.lineChart = lineChart
        self.needsPublicSuffixes = needsPublicSuffixes
        self.needsEarlierScan = needsEarlierScan
        self.id = id
        self.title = title
        self.description = description
        self.sql = sql
        self.chart = chart
    }
}
