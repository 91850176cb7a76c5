import Foundation
import STSCore

/// A horizontal bar chart as inline SVG, readable on its own: the axis title states the
/// metric and its unit, the axis has ticks with thousands separators (powers of ten on a
/// log axis), every bar is labelled with its count and percent (or its rate, Wilson 95%
/// interval and group size), small groups are drawn pale and marked, and group headings
/// separate stages. Plain shapes and text only (no script, no external reference, no
/// stylesheet needed), every label escaped.
public enum SVGBarChart {
    static let width = 820
    /// The label column's usual width; it grows for longer labels up to `maxLabelWidth`, and
    /// labels longer still wrap at dots and dashes onto more lines (never cut mid-name).
    static let labelWidth = 260
    static let maxLabelWidth = 400
    static let valueRoom = 210
    static let rowHeight = 22
    static let lineHeight = 14
    /// Characters that fit the usual label column, and the widest column (12 px sans-serif).
    static let maxLabel = 38
    static let charWidth = 6.6
    static let barColor = "#3b73b9"
    static let smallColor = "#c5d3e6"

    /// The chart of `section` (its `chart` spec over its rows); empty when it has none.
    public static func render(_ section: ReportTable) -> String {
        guard let spec = section.chart else { return "" }
        return render(section.bars, chart: spec, title: section.title, denominator: section.chartDenominator)
    }

    /// `denominator`: the one base of every bar's percent, stated in the axis title.
    public static func render(_ bars: [ChartBar], chart spec: ReportChart, title: String,
                              denominator: Double? = nil) -> String {
        guard !bars.isEmpty else { return "" }
        let labels = bars.map { display($0.label, spec.labels) }
        let longest = labels.map(\.count).max() ?? 0
        // Room for the longest label, within bounds; what still does not fit wraps.
        let labelWidth = longest <= maxLabel ? Self.labelWidth
            : min(maxLabelWidth, Int((Double(longest) * charWidth).rounded(.up)) + 16)
        let fits = longest <= maxLabel ? maxLabel : Int(Double(labelWidth - 16) / charWidth)
        let plotWidth = Double(width - labelWidth - valueRoom)
        let axis = Axis(bars: bars, chart: spec)
        var rows: [String] = []
        var y = 30
        var previousGroup: String?
        var anySmall = false, anyInterval = false
        for (bar, fullLabel) in zip(bars, labels) {
            if let group = bar.group, group != previousGroup {
                rows.append("<text x=\"8\" y=\"\(y + 15)\" font-weight=\"bold\">\(HTMLEscaping.escape(group.isEmpty ? "(none)" : group))</text>")
                y += rowHeight
                previousGroup = group
            }
            let small = bar.size.map { $0 < Int64(spec.minimumSize) } ?? false
            anySmall = anySmall || small
            let length = axis.position(bar.value) * plotWidth
            let lines = wrap(fullLabel, width: fits)
            // A wrapped label takes more height; its bar sits by the label's last line.
            let extra = (lines.count - 1) * lineHeight
            rows.append(labelText(lines, x: labelWidth - 8, lastY: y + extra + 15))
            y += extra
            rows.append("<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(format(length))\" height=\"\(rowHeight - 8)\" fill=\"\(small ? smallColor : barColor)\"/>")
            var textX = Double(labelWidth) + length
            if let lower = bar.lower, let upper = bar.upper {
                anyInterval = true
                let x0 = Double(labelWidth) + axis.position(lower) * plotWidth
                let x1 = Double(labelWidth) + axis.position(upper) * plotWidth
                let mid = y + rowHeight / 2
                rows.append("<path d=\"M\(format(x0)) \(mid)H\(format(x1))M\(format(x0)) \(mid - 4)V\(mid + 4)M\(format(x1)) \(mid - 4)V\(mid + 4)\" stroke=\"#222\" fill=\"none\"/>")
                textX = max(textX, x1)
            }
            rows.append("<text x=\"\(format(textX + 6))\" y=\"\(y + 15)\">\(HTMLEscaping.escape(valueText(bar, spec, small: small)))</text>")
            y += rowHeight
        }
        // The axis: a line, ticks with labels, the metric's title.
        let axisY = y + 4
        var axisParts = ["<line x1=\"\(labelWidth)\" y1=\"\(axisY)\" x2=\"\(format(Double(labelWidth) + plotWidth))\" y2=\"\(axisY)\" stroke=\"#444\"/>"]
        for tick in axis.ticks {
            let x = format(Double(labelWidth) + axis.position(tick) * plotWidth)
            axisParts.append("<line x1=\"\(x)\" y1=\"26\" x2=\"\(x)\" y2=\"\(axisY)\" stroke=\"#e2e2e2\"/>")
            axisParts.append("<line x1=\"\(x)\" y1=\"\(axisY)\" x2=\"\(x)\" y2=\"\(axisY + 4)\" stroke=\"#444\"/>")
            axisParts.append("<text x=\"\(x)\" y=\"\(axisY + 17)\" text-anchor=\"middle\" fill=\"#444\">\(HTMLEscaping.escape(tickText(tick, spec)))</text>")
        }
        var axisTitle = spec.metric
        if axis.scale == .log { axisTitle += " (log scale)" }
        if let denominator = denominator { axisTitle += "; N = " + grouped(denominator) }
        axisParts.append("<text x=\"\(labelWidth)\" y=\"\(axisY + 35)\" fill=\"#444\">\(HTMLEscaping.escape(axisTitle))</text>")
        var notes: [String] = []
        if anyInterval { notes.append("Whiskers: Wilson 95% confidence interval.") }
        if anySmall { notes.append("Pale bars: fewer than \(grouped(Double(spec.minimumSize))) domains, too few for a stable rate.") }
        let height = SVGFrame.notes(notes, x: labelWidth, top: axisY + 44, into: &axisParts)
        var out = SVGFrame.open(width: width, height: height, title: title, label: title + ": " + spec.metric)
        out += axisParts.filter { $0.contains("#e2e2e2") }.joined() + "\n"
        out += rows.joined(separator: "\n") + "\n"
        out += axisParts.filter { !$0.contains("#e2e2e2") }.joined() + "\n"
        return out + "</svg>\n"
    }

    /// The text after a bar: "1,234 (12.5%)", or for a rate "12.5% [10.1-15.2], n=1,234".
    static func valueText(_ bar: ChartBar, _ chart: ReportChart, small: Bool) -> String {
        var text = chart.valueIsPercent ? percentText(bar.value) : grouped(bar.value)
        if let lower = bar.lower, let upper = bar.upper {
            text += " [\(ReportValue.format(lower))\u{2013}\(percentText(upper))]"
        }
        if let percent = bar.percent { text += " (\(percentText(percent)))" }
        if let size = bar.size { text += ", n=\(grouped(Double(size)))" }
        if small { text += ", small" }
        return text
    }

    /// `xn--p1ai` as `рф (xn--p1ai)` when labels are domain names.
    static func display(_ label: String, _ kind: ReportChart.Labels) -> String {
        if label.isEmpty { return "(none)" }
        guard kind == .domainName, label.contains("xn--"), let unicode = IDNA.toUnicode(label), unicode != label
        else { return label }
        return "\(unicode) (\(label))"
    }

    /// `label` in lines of at most `width` characters, broken after dots, dashes and spaces
    /// (a part longer than a line is broken where it must).
    static func wrap(_ label: String, width: Int) -> [String] {
        guard label.count > width, width > 0 else { return [label] }
        var parts: [String] = [], part = ""
        for character in label {
            part.append(character)
            if ".- ".contains(character) { parts.append(part); part = "" }
        }
        if !part.isEmpty { parts.append(part) }
        var lines: [String] = [], line = ""
        for var piece in parts {
            if !line.isEmpty, line.count + piece.count > width { lines.append(line); line = "" }
            while piece.count > width { lines.append(String(piece.prefix(width))); piece = String(piece.dropFirst(width)) }
            line += piece
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A right-aligned label of one or more lines whose last line's baseline is `lastY`.
    static func labelText(_ lines: [String], x: Int, lastY: Int) -> String {
        guard lines.count > 1 else {
            return "<text x=\"\(x)\" y=\"\(lastY)\" text-anchor=\"end\">\(HTMLEscaping.escape(lines.first ?? ""))</text>"
        }
        let first = lastY - (lines.count - 1) * lineHeight
        return "<text x=\"\(x)\" y=\"\(first)\" text-anchor=\"end\">" + lines.enumerated().map { index, line in
            "<tspan x=\"\(x)\"\(index == 0 ? "" : " dy=\"\(lineHeight)\"")>\(HTMLEscaping.escape(line))</tspan>"
        }.joined() + "</text>"
    }

    static func tickText(_ value: Double, _ chart: ReportChart) -> String {
        chart.valueIsPercent ? percentText(value) : grouped(value)
    }

    static func percentText(_ value: Double) -> String { ReportValue.format(value) + "%" }

    /// A number with thousands separators: 20,000; fractions keep up to two decimals.
    public static func grouped(_ value: Double) -> String {
        let plain = ReportValue.format(value)
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var withCommas = ""
        while whole.count > 3 {
            withCommas = "," + whole.suffix(3) + withCommas
            whole = String(whole.dropLast(3))
        }
        withCommas = whole + withCommas
        return (negative ? "-" : "") + withCommas + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Where values fall along the plot (0...1) and which ticks it shows.
    struct Axis {
        let scale: ReportChart.Scale
        let top: Double
        let ticks: [Double]

        init(bars: [ChartBar], chart: ReportChart) {
            scale = chart.scale.resolved(for: bars.map(\.value))
            let largest = max(bars.map { max($0.value, $0.upper ?? 0) }.max() ?? 0, 0)
            if scale == .log {
                var top = 10.0
                while top < largest { top *= 10 }
                self.top = top
                var ticks: [Double] = [1]
                while ticks.last! < top { ticks.append(ticks.last! * 10) }
                self.ticks = ticks
            } else {
                let step = Axis.niceStep(largest > 0 ? largest : 1)
                var top = (largest / step).rounded(.up) * step
                if top == 0 { top = step }
                if chart.valueIsPercent { top = min(top, 100) }
                self.top = top
                self.ticks = stride(from: 0.0, through: top + step / 2, by: step).map { $0 }
            }
        }

        /// 1, 2 or 5 times a power of ten, giving about four to six ticks.
        static func niceStep(_ largest: Double) -> Double {
            let rough = largest / 5
            let power = Double.pow10(floor(log10(rough)))
            for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= rough { return factor * power }
            return 10 * power
        }

        func position(_ value: Double) -> Double {
            switch scale {
            case .linear, .auto: return min(max(value / top, 0), 1)
            case .log:
                guard value > 0 else { return 0 }
                // Values at or under 1 keep a visible stub; the label carries the exact count.
                return max(min(log10(value) / log10(top), 1), 0.006)
            }
        }
    }
}

extension Double {
    static func pow10(_ exponent: Double) -> Double { Foundation.pow(10, exponent) }
}
