import Foundation
import STSReport
import Testing

/// Charts a person can read: metric and unit on the axis, ticks with thousands separators,
/// count and percent on every bar, log axes for heavy tails, Wilson whiskers and marked
/// small groups on rates, IDN labels in Unicode, group headings; HTML stays self-contained.
@Suite struct ChartTests {
    @Test func countChartHasAxisTicksAndLabelledBars() {
        let chart = ReportChart(label: "step", value: "domains", metric: "list entries (count, percent of the list)",
                                percent: "percent")
        let svg = SVGBarChart.render([ChartBar(label: "domains in the list", value: 20_000, percent: 100),
                                      ChartBar(label: "with an _mta-sts record", value: 3_974, percent: 19.87)],
                                     chart: chart, title: "The list")
        #expect(svg.contains(">list entries (count, percent of the list)</text>"))
        for tick in ["0", "5,000", "10,000", "15,000", "20,000"] { #expect(svg.contains(">\(tick)</text>"), "tick \(tick)") }
        #expect(svg.contains(">20,000 (100%)</text>"))
        #expect(svg.contains(">3,974 (19.87%)</text>"))
    }

    @Test func heavyTailsUseALogAxis() {
        let chart = ReportChart(label: "host", value: "domains", metric: "list entries served (count)", scale: .log)
        let svg = SVGBarChart.render([ChartBar(label: "mx1.big.example", value: 7_371), ChartBar(label: "mx.small.example", value: 1)],
                                     chart: chart, title: "MX hosts")
        for tick in ["1", "10", "100", "1,000", "10,000"] { #expect(svg.contains(">\(tick)</text>"), "tick \(tick)") }
        #expect(svg.contains("list entries served (count) (log scale)"))
    }

    @Test func ratesShowWilsonIntervalsAndMarkSmallGroups() {
        let chart = ReportChart(label: "tld", value: "rate", metric: "% of the TLD's domains with a valid policy",
                                valueIsPercent: true, lower: "low", upper: "high", size: "domains", labels: .domainName)
        let svg = SVGBarChart.render([ChartBar(label: "com", value: 17.1, lower: 16.41, upper: 17.82, size: 10_957),
                                      ChartBar(label: "xn--p1ai", value: 100, lower: 77.19, upper: 100, size: 13)],
                                     chart: chart, title: "Adoption by TLD")
        #expect(svg.contains(">17.1% [16.41\u{2013}17.82%], n=10,957</text>"))
        #expect(svg.contains(">100% [77.19\u{2013}100%], n=13, small</text>"))
        #expect(svg.contains(">рф (xn--p1ai)</text>"))
        #expect(svg.contains("Wilson 95% confidence interval"))
        #expect(svg.contains("Pale bars: fewer than 30 domains"))
        #expect(svg.contains(">100%</text>") && !svg.contains(">120%</text>"))
    }

    @Test func groupsGetHeadings() {
        let chart = ReportChart(label: "code", value: "domains", metric: "domains (count)", group: "stage")
        let svg = SVGBarChart.render([ChartBar(label: "txt-invalid-id", value: 13, group: "MTA-STS record"),
                                      ChartBar(label: "txt-not-stsv1", value: 26, group: "MTA-STS record"),
                                      ChartBar(label: "cert-expired", value: 13, group: "policy fetch")],
                                     chart: chart, title: "Errors by stage")
        #expect(svg.components(separatedBy: "font-weight=\"bold\">MTA-STS record<").count == 2)
        #expect(svg.contains("font-weight=\"bold\">policy fetch<"))
    }

    @Test func reportHTMLIsSelfContainedAndEveryChartStatesItsMetric() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1)
        let html = ReportFormat.html.render(report)
        for forbidden in ["<script", "src=", "href=\"http", "url(", "@import"] { #expect(!html.contains(forbidden), "\(forbidden)") }
        let charted = report.sections.filter { !$0.bars.isEmpty }
        #expect(charted.count >= 15)
        for section in charted {
            let spec = try #require(section.chart)
            #expect(!spec.metric.isEmpty)
            #expect(html.contains(">" + HTMLEscaping.escape(spec.metric)), "\(section.id)'s chart states no metric")
        }
        // The funnel starts at the _mta-sts record; the list-level steps are their own chart.
        #expect(report.section("funnel")?.rows.first?.first == .text("with an _mta-sts record"))
        #expect(report.section("list_funnel")?.rows.first?.first == .text("list entries scanned"))
    }
}
