import Foundation
import STSReport
import Testing

/// The series' line charts read on their own: metric with unit and denominator, percent
/// ticks up to 100% at most, a legend, readable dates from 2 scans to 31 months, end labels,
/// marked list changes.
@Suite struct SeriesChartTests {
    static let chart = SeriesChart(date: "date", label: "scan_id", lines: [
        .init(column: "a", name: "_mta-sts record"), .init(column: "b", name: "valid MTA-STS policy"),
    ], metric: "% of domains with MX", change: "list_change")

    /// The text of every `<text>` element.
    static func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().compactMap { part in
            guard let start = part.firstIndex(of: ">"), let end = part.range(of: "</text>") else { return nil }
            return String(part[part.index(after: start)..<end.lowerBound])
        }
    }

    @Test func twoScansHaveAxesLegendAndDates() {
        let svg = SVGLineChart.render([SeriesPoint(date: "2026-01-02", label: "1", values: [3.2, 2.25]),
                                       SeriesPoint(date: "2026-01-03", label: "2", values: [4.1, 2.5])],
                                      chart: Self.chart, title: "Adoption over time")
        let texts = Self.texts(svg)
        #expect(texts.contains("% of domains with MX"))
        #expect(texts.contains("_mta-sts record") && texts.contains("valid MTA-STS policy"))
        for tick in ["0%", "1%", "2%", "3%", "4%", "5%"] { #expect(texts.contains(tick), "tick \(tick)") }
        #expect(texts.contains("2026-01-02") && texts.contains("2026-01-03"))
        #expect(texts.contains("scan start time (UTC), one point per scan"))
        // End labels: the last value of each line.
        #expect(texts.contains("4.1%") && texts.contains("2.5%"))
        #expect(svg.contains("<title>scan 2, 2026-01-03: valid MTA-STS policy 2.5%</title>"))
        #expect(!svg.contains("Dotted vertical lines"))
    }

    @Test func thirtyOneMonthsGetFewMonthLabels() {
        var points: [SeriesPoint] = []
        for month in 0..<31 {
            let year = 2024 + month / 12, monthOfYear = month % 12 + 1
            let date = "\(year)-" + (monthOfYear < 10 ? "0" : "") + "\(monthOfYear)-15"
            points.append(SeriesPoint(date: date, label: "\(month + 1)", values: [0.5 + Double(month) * 0.1, 0.2 + Double(month) * 0.05],
                                      change: month == 12 ? "different list" : nil))
        }
        let svg = SVGLineChart.render(points, chart: Self.chart, title: "Adoption over time")
        let dates = Self.texts(svg).filter { $0.range(of: #"^\d{4}(-\d{2})?$"#, options: .regularExpression) != nil }
        #expect((4...8).contains(dates.count), "date labels: \(dates)")
        #expect(dates.first == "2024-01" && dates.last == "2026-07", "\(dates)")
        #expect(svg.contains("Dotted vertical lines: the input list changed (scan 13: different list)."))
        #expect(Self.texts(svg).contains("3.5%"))
        // Every point is drawn: 31 markers per line, each with its tooltip.
        #expect(svg.components(separatedBy: "<title>scan ").count - 1 == 62)
    }

    /// Scans are placed by their start time: two scans of one day are two points apart, with
    /// clock ticks, and a scan at noon sits halfway between two midnights.
    @Test func sameDayScansAreDistinctPoints() {
        let svg = SVGLineChart.render([SeriesPoint(date: "2026-11-30T15:31:25.285Z", label: "1", values: [20, 10]),
                                       SeriesPoint(date: "2026-11-30T15:51:51.605Z", label: "2", values: [22, 11])],
                                      chart: Self.chart, title: "Adoption over time")
        // The first circle is the legend's swatch.
        let circles = svg.components(separatedBy: "<circle cx=\"").dropFirst(2).compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(circles.count == 2 && circles[1] - circles[0] > 400, "markers at \(circles)")
        let clock = Self.texts(svg).filter { $0.range(of: #"^\d{2}-\d{2} \d{2}:\d{2}$"#, options: .regularExpression) != nil }
        #expect((2...8).contains(clock.count) && clock.contains("11-30 15:40"), "ticks \(clock)")
        #expect(svg.contains("<title>scan 2, 2026-11-30T15:51:51.605Z: valid MTA-STS policy 11%</title>"))

        let days = SVGLineChart.render([SeriesPoint(date: "2026-01-01T00:00:00Z", label: "1", values: [1, 1]),
                                        SeriesPoint(date: "2026-01-01T12:00:00Z", label: "2", values: [1, 1]),
                                        SeriesPoint(date: "2026-01-04T00:00:00Z", label: "3", values: [1, 1])],
                                       chart: Self.chart, title: "t")
        let xs = days.components(separatedBy: "<circle cx=\"").dropFirst(2).compactMap { Double($0.prefix { $0 != "\"" }) }
        #expect(xs.count == 3 && abs((xs[1] - xs[0]) * 6 - (xs[2] - xs[0])) < 0.5, "noon at a sixth of three days: \(xs)")
        #expect(Self.texts(days).contains("2026-01-02"))
        #expect(SVGLineChart.render([SeriesPoint(date: "2026-01-01T25:00", label: "1", values: [1])],
                                    chart: Self.chart, title: "t").isEmpty, "a malformed time draws nothing")
    }

    @Test func percentAxisStopsAtOneHundred() {
        let chart = SeriesChart(date: "date", label: "scan_id", lines: [.init(column: "e", name: "enforce")],
                                metric: "% of valid policies")
        let svg = SVGLineChart.render([SeriesPoint(date: "2026-01-01", label: "1", values: [100]),
                                       SeriesPoint(date: "2026-02-01", label: "2", values: [97.5])],
                                      chart: chart, title: "Modes")
        let texts = Self.texts(svg)
        #expect(texts.contains("100%") && !texts.contains("120%"))
    }

    @Test func oneScanAndMissingValuesStillDraw() {
        let svg = SVGLineChart.render([SeriesPoint(date: "2026-03-01", label: "7", values: [nil, 12])],
                                      chart: Self.chart, title: "One scan")
        #expect(svg.contains("<title>scan 7, 2026-03-01: valid MTA-STS policy 12%</title>"))
        #expect(!svg.contains("_mta-sts record 0%"))
        #expect(Self.texts(svg).contains("2026-03-01"))
        #expect(SVGLineChart.render([], chart: Self.chart, title: "None").isEmpty)
    }

    @Test func hostileLegendAndTitleAreEscaped() {
        let chart = SeriesChart(date: "d", label: "l", lines: [.init(column: "x", name: "<script>x</script>")], metric: "a & b")
        let svg = SVGLineChart.render([SeriesPoint(date: "2026-01-01", label: "<b>", values: [1])], chart: chart, title: "\"t\"")
        #expect(!svg.contains("<script>") && !svg.contains("<b>"))
        #expect(svg.contains("a &amp; b"))
    }
}
