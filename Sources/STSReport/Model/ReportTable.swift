/// One section of a report: the SQL that produced it and its result.
public struct ReportTable: Sendable, Hashable, Codable {
    /// Stable identifier (`funnel`, `modes` ...), used by `--section` and as JSON key.
    public var id: String
    public var title: String
    /// One or two sentences saying what the numbers mean.
    public var description: String
    /// The exact SQL the table came from (named parameters such as `:scan_id`).
    public var sql: String
    public var columns: [String]
    public var rows: [[ReportValue]]
    /// How to draw the table as a bar chart, when it is worth drawing.
    public var chart: ReportChart?

    public init(id: String, title: String, description: String, sql: String, columns: [String],
                rows: [[ReportValue]], chart: ReportChart? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.sql = sql
        self.columns = columns
        self.rows = rows
        self.chart = chart
    }

    /// The bars of `chart`: (label, value) per row with a numeric value.
    public var bars: [(label: String, value: Double)] {
        guard let chart, let labelIndex = columns.firstIndex(of: chart.label),
              let valueIndex = columns.firstIndex(of: chart.value) else { return [] }
        return rows.compactMap { row in
            row[valueIndex].number.map { (row[labelIndex].plain, $0) }
        }
    }
}

/// A horizontal bar chart of one table: one bar per row.
public struct ReportChart: Sendable, Hashable, Codable {
    /// Column giving each bar's label.
    public var label: String
    /// Numeric column giving each bar's length.
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}
