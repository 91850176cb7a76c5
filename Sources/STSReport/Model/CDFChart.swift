/// How to draw one table as a cumulative distribution (a step line): one step per row, at
/// the row's `x` (a duration in seconds, on a log axis labelled in hours, days, weeks and
/// years), rising to its `cumulative` percent. For distributions whose values sit on a few
/// round numbers across six orders of magnitude, where a histogram puts almost everything
/// into one bucket (max_age).
public struct CDFChart: Sendable, Hashable, Codable {
    /// Column of each step's value, in seconds (ascending).
    public var x: String
    /// Column of the cumulative percent at that value (of the population in `metric`).
    public var cumulative: String
    /// Column of the count at that value, shown in tooltips.
    public var count: String
    /// The x axis title: the quantity and its unit.
    public var xTitle: String
    /// The y axis title: what the percent is of.
    public var metric: String

    public init(x: String, cumulative: String, count: String, xTitle: String, metric: String) {
        self.x = x
        self.cumulative = cumulative
        self.count = count
        self.xTitle = xTitle
        self.metric = metric
    }
}

extension ReportTable {
    /// The steps of `cdfChart`: (value, cumulative percent, count) per row with numbers.
    public var cdfSteps: [(x: Double, cumulative: Double, count: Double)] {
        guard let chart = cdfChart, let x = columns.firstIndex(of: chart.x),
              let y = columns.firstIndex(of: chart.cumulative), let n = columns.firstIndex(of: chart.count) else { return [] }
        return rows.compactMap { row in
            guard let value = row[x].number, let cumulative = row[y].number else { return nil }
            return (value, cumulative, row[n].number ?? 0)
        }
    }
}
