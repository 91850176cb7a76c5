/// How to draw one table as a horizontal bar chart: which columns give the bars, what they
/// measure (the axis title states metric and unit), and the extras a reader needs to judge
/// them: a percent next to each count, a log axis for heavy tails, Wilson intervals and a
/// minimum group size for rates, group headings, Unicode labels for IDN names.
public struct ReportChart: Sendable, Hashable, Codable {
    /// Axis scale: linear from 0, logarithmic (powers of ten) for heavy-tailed counts, or
    /// `auto`: logarithmic only when the bars span two orders of magnitude or more
    /// (`resolved(for:)`), so a few bars of similar size stay on a linear axis.
    public enum Scale: String, Sendable, Hashable, Codable {
        case linear, log, auto

        /// `linear` or `log` for these values: `auto` is log when the largest positive value
        /// is at least 100 times the smallest.
        public func resolved(for values: [Double]) -> Scale {
            guard self == .auto else { return self }
            let positive = values.filter { $0 > 0 }
            guard let low = positive.min(), let high = positive.max() else { return .linear }
            return high >= 100 * low ? .log : .linear
        }
    }
    /// How bar labels are shown: as stored, or as domain names in Unicode with the A-label
    /// in parentheses (`рф (xn--p1ai)`).
    public enum Labels: String, Sendable, Hashable, Codable { case plain, domainName }

    /// Column giving each bar's label.
    public var label: String
    /// Numeric column giving each bar's length.
    public var value: String
    /// The axis title: what a bar measures, with its unit ("domains", "% of the bucket's domains").
    public var metric: String
    /// Column of the percent printed after each count, nil when none.
    public var percent: String?
    /// True when `value` is itself a percent (axis 0-100 %, values printed with "%").
    public var valueIsPercent: Bool
    public var scale: Scale
    /// Columns of the 95% interval's bounds (same unit as `value`), drawn as whiskers.
    public var lower: String?
    public var upper: String?
    /// Column of each group's size (the denominator of a rate): groups smaller than
    /// `minimumSize` are drawn pale and marked, their rate too noisy to compare.
    public var size: String?
    public var minimumSize: Int
    /// Column whose value changes start a new group of bars under a heading.
    public var group: String?
    public var labels: Labels
    /// Column holding the one denominator of every bar's percent (the same on each row):
    /// the axis title states it ("N = 4,012"). nil when the percent's base is in the metric only.
    public var denominator: String?

    public init(label: String, value: String, metric: String, percent: String? = nil,
                valueIsPercent: Bool = false, scale: Scale = .linear, lower: String? = nil,
                upper: String? = nil, size: String? = nil, minimumSize: Int = 30, group: String? = nil,
                labels: Labels = .plain, denominator: String? = nil) {
        self.denominator = denominator
        self.label = label
        self.value = value
        self.metric = metric
        self.percent = percent
        self.valueIsPercent = valueIsPercent
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.size = size
        self.minimumSize = minimumSize
        self.group = group
        self.labels = labels
    }
}

/// One bar of a chart, read from one table row.
public struct ChartBar: Sendable, Hashable {
    public var label: String
    public var value: Double
    public var percent: Double?
    public var lower: Double?
    public var upper: Double?
    public var size: Int64?
    public var group: String?

    public init(label: String, value: Double, percent: Double? = nil, lower: Double? = nil, upper: Double? = nil,
                size: Int64? = nil, group: String? = nil) {
        self.label = label
        self.value = value
        self.percent = percent
        self.lower = lower
        self.upper = upper
        self.size = size
        self.group = group
    }
}
