import Foundation

/// A cumulative distribution as inline SVG, in the other charts' style: a step line rising at
/// every distinct value to the share of the population at or below it, the value axis
/// logarithmic and labelled in minutes, hours, days and years (max_age runs from seconds to
/// a year, and most policies sit on a few round values), the percent axis 0-100% with grid
/// lines, steps of 10 points or more labelled with their value and share, a tooltip per
/// step, and the population's size stated. Plain shapes and text only, every label escaped.
public enum SVGCDFChart {
    static let width = 820
    static let plotLeft = 64
    static let plotRight = 760
    static let plotTop = 44
    static let plotHeight = 220
    static let color = "#3b73b9"
    /// Tick values (seconds) and their labels.
    static let durationTicks: [(Double, String)] = [
        (1, "1 s"), (60, "1 min"), (3_600, "1 h"), (86_400, "1 d"), (604_800, "1 w"), (2_592_000, "30 d"),
        (15_778_800, "6 mo"), (31_557_600, "1 y"),
    ]

    /// The chart of `section` (its `cdfChart` over its rows); empty when it has none.
    public static func render(_ section: ReportTable) -> String {
        guard let spec = section.cdfChart else { return "" }
        return render(section.cdfSteps, chart: spec, title: section.title)
    }

    public static func render(_ steps: [(x: Double, cumulative: Double, count: Double)], chart spec: CDFChart,
                              title: String) -> String {
        guard !steps.isEmpty else { return "" }
        let smallest = max(steps.map(\.x).min()!, 1), largest = max(steps.map(\.x).max()!, 1)
        // From the tick at or below the smallest value to the tick at or above the largest.
        let low = durationTicks.last { $0.0 <= smallest }?.0 ?? 1
        let high = max(durationTicks.first { $0.0 >= largest }?.0 ?? largest, low * 10)
        let span = log10(high) - log10(low)
        let plotWidth = Double(plotRight - plotLeft), bottom = Double(plotTop + plotHeight)
        func px(_ value: Double) -> Double { Double(plotLeft) + (log10(max(value, low)) - log10(low)) / span * plotWidth }
        func py(_ percent: Double) -> Double { bottom - min(max(percent, 0), 100) / 100 * Double(plotHeight) }

        var grid: [String] = [], axes: [String] = [], body: [String] = []
        for percent in stride(from: 0.0, through: 100, by: 20) {
            let y = format(py(percent))
            grid.append("<line x1=\"\(plotLeft)\" y1=\"\(y)\" x2=\"\(plotRight)\" y2=\"\(y)\" stroke=\"#e2e2e2\"/>")
            axes.append("<text x=\"\(plotLeft - 6)\" y=\"\(format(py(percent) + 4))\" text-anchor=\"end\" fill=\"#444\">\(Int(percent))%</text>")
        }
        for (value, label) in durationTicks where value >= low && value <= high {
            let x = format(px(value))
            grid.append("<line x1=\"\(x)\" y1=\"\(plotTop)\" x2=\"\(x)\" y2=\"\(format(bottom))\" stroke=\"#e2e2e2\"/>")
            axes.append("<line x1=\"\(x)\" y1=\"\(format(bottom))\" x2=\"\(x)\" y2=\"\(format(bottom + 4))\" stroke=\"#444\"/>")
            axes.append("<text x=\"\(x)\" y=\"\(format(bottom + 17))\" text-anchor=\"middle\" fill=\"#444\">\(label)</text>")
        }
        axes.append("<line x1=\"\(plotLeft)\" y1=\"\(plotTop)\" x2=\"\(plotLeft)\" y2=\"\(format(bottom))\" stroke=\"#444\"/>")
        axes.append("<line x1=\"\(plotLeft)\" y1=\"\(format(bottom))\" x2=\"\(plotRight)\" y2=\"\(format(bottom))\" stroke=\"#444\"/>")
        let total = steps.map(\.count).reduce(0, +)
        axes.append("<text x=\"8\" y=\"\(plotTop - 10)\" fill=\"#444\">\(HTMLEscaping.escape(spec.metric))</text>")
        axes.append("<text x=\"\(plotLeft)\" y=\"\(format(bottom + 35))\" fill=\"#444\">"
                    + HTMLEscaping.escape("\(spec.xTitle); N = \(SVGBarChart.grouped(total))") + "</text>")

        // The step line: flat until a value, up to its share, flat to the next.
        var path = "M\(format(px(low))) \(format(py(0)))"
        var previous = 0.0, lastLabelX = -Double.infinity
        for step in steps {
            let x = px(step.x)
            path += "H\(format(x))V\(format(py(step.cumulative)))"
            let tip = "\(duration(step.x)) (\(SVGBarChart.grouped(step.x)) s): \(SVGBarChart.grouped(step.count)), "
                + "\(ReportValue.format(step.cumulative))% at or below"
            body.append("<circle cx=\"\(format(x))\" cy=\"\(format(py(step.cumulative)))\" r=\"3\" fill=\"\(color)\">"
                        + "<title>\(HTMLEscaping.escape(tip))</title></circle>")
            // Big steps get their value and share written beside them, never on top of another.
            if step.cumulative - previous >= 10, x - lastLabelX >= 90 {
                body.append("<text x=\"\(format(x - 5))\" y=\"\(format(max(py(step.cumulative) - 6, Double(plotTop) + 10)))\" "
                            + "text-anchor=\"end\" fill=\"#222\">"
                            + HTMLEscaping.escape("\(duration(step.x)): \(ReportValue.format(step.cumulative))%") + "</text>")
                lastLabelX = x
            }
            previous = step.cumulative
        }
        path += "H\(format(px(high)))"
        body.insert("<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>", at: 0)

        var notes = ["Each step: a distinct value, rising by the share of the population that uses it."]
        if steps.contains(where: { $0.x < low }) { notes.append("Values under \(duration(low)) are drawn at the left edge.") }
        let height = SVGFrame.notes(notes, x: plotLeft, top: Int(bottom) + 44, into: &axes)
        var out = SVGFrame.open(width: width, height: height, title: title, label: title + ": " + spec.metric)
        out += grid.joined() + "\n" + axes.joined() + "\n" + body.joined(separator: "\n") + "\n"
        return out + "</svg>\n"
    }

    /// Seconds as the unit a reader thinks in: "45 s", "30 min", "6 h", "7 d", "365.25 d".
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return ReportValue.format(seconds) + " s" }
        if seconds < 3_600 { return ReportValue.format(seconds / 60) + " min" }
        if seconds < 86_400 { return ReportValue.format(seconds / 3_600) + " h" }
        return ReportValue.format(seconds / 86_400) + " d"
    }

    static func format(_ value: Double) -> String { SVGBarChart.format(value) }
}
