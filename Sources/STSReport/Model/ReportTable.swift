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
    /// How to draw the table as a line chart over time (the series report), nil for others.
    public var lineChart: SeriesChart?
    /// How to draw the table as a cumulative distribution (max_age), nil for others.
    public var cdfChart: CDFChart?

    public init(id: String, title: String, description: String, sql: String, columns: [String],
                rows: [[ReportValue]], chart: ReportChart? = nil, lineChart: SeriesChart? = nil,
                cdfChart: CDFChart? = nil) {
        self.cdfChart = cdfChart
        self.lineChart = lineChart
        self.id = id
        self.title = title
        self.description = description
        self.sql = sql
        self.columns = columns
        self.rows = rows
        self.chart = chart
    }

    /// The one denominator of the chart's percents (`ReportChart.denominator`), nil when the
    /// chart names none or the rows disagree.
    public var chartDenominator: Double? {
        guard let name = chart?.denominator, let index = columns.firstIndex(of: name) else { return nil }
        let values = Set(rows.compactMap { $0[index].number })
        return values.count == 1 ? values.first : nil
    }

    /// The bars of `chart`: one per row with a numeric value.
    public var bars: [ChartBar] {
        guard let chart, let labelIndex = columns.firstIndex(of: chart.label),
              let valueIndex = columns.firstIndex(of: chart.value) else { return [] }
        func column(_ name: String?) -> Int? { name.flatMap { columns.firstIndex(of: $0) } }
        let percent = column(chart.percent), lower = column(chart.lower), upper = column(chart.upper)
        let size = column(chart.size), group = column(chart.group)
        return rows.compactMap { row in
            guard let value = row[valueIndex].number else { return nil }
            return ChartBar(label: row[labelIndex].plain, value: value,
                            percent: percent.flatMap { row[$0].number }, lower: lower.flatMap { row[$0].number },
                            upper: upper.flatMap { row[$0].number }, size: size.flatMap { row[$0].number.map { Int64($0) } },
                            group: group.map { row[$0].plain })
        }
    }
}
