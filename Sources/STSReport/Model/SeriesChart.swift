/// How to draw one table as a line chart over time (the series report): one point per row,
/// placed by the row's date, one line per value column. The metric states the rates' common
/// unit and denominator ("% of domains with MX"); rows whose `change` column holds text mark
/// a change of the input list (rates stay comparable there, counts do not).
public struct SeriesChart: Sendable, Hashable, Codable {
    /// One line: the numeric column it reads and its legend text.
    public struct Line: Sendable, Hashable, Codable {
        public var column: String
        public var name: String

        public init(column: String, name: String) {
            self.column = column
            self.name = name
        }
    }

    /// Column of each point's date (`YYYY-MM-DD`, UTC).
    public var date: String
    /// Column naming each point in tooltips (the scan id).
    public var label: String
    public var lines: [Line]
    /// The y axis title: what the lines measure, with unit and denominator.
    public var metric: String
    /// True when the values are percents (axis in %, at most 100).
    public var valueIsPercent: Bool
    /// Column whose non-empty text marks a point where the input list changed, nil when none.
    public var change: String?
    /// Texts of `change` that mark no change ("first point", "same list").
    public var noChange: [String]

    public init(date: String, label: String, lines: [Line], metric: String, valueIsPercent: Bool = true,
                change: String? = nil, noChange: [String] = []) {
        self.noChange = noChange
        self.date = date
        self.label = label
        self.lines = lines
        self.metric = metric
        self.valueIsPercent = valueIsPercent
        self.change = change
    }
}

/// One row of a series chart: its date, label, one value per line (nil where NULL), and
/// the list change it marks, if any.
public struct SeriesPoint: Sendable, Hashable {
    public var date: String
    public var label: String
    public var values: [Double?]
    public var change: String?

    public init(date: String, label: String, values: [Double?], change: String? = nil) {
        self.date = date
        self.label = label
        self.values = values
        self.change = change
    }
}

extension ReportTable {
    /// The points of `lineChart`: one per row with a date.
    public var seriesPoints: [SeriesPoint] {
        guard let chart = lineChart, let dateIndex = columns.firstIndex(of: chart.date) else { return [] }
        let labelIndex = columns.firstIndex(of: chart.label)
        let valueIndexes = chart.lines.map { columns.firstIndex(of: $0.column) }
        let changeIndex = chart.change.flatMap { columns.firstIndex(of: $0) }
        return rows.compactMap { row in
            let date = row[dateIndex].plain
            guard !date.isEmpty else { return nil }
            let change = changeIndex.map { row[$0].plain }.flatMap { $0.isEmpty || chart.noChange.contains($0) ? nil : $0 }
            return SeriesPoint(date: date, label: labelIndex.map { row[$0].plain } ?? date,
                               values: valueIndexes.map { index in index.flatMap { row[$0].number } }, change: change)
        }
    }
}
