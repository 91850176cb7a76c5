/// A line chart over time as inline SVG, in the bar charts' style (`SVGBarChart`): the y
/// axis title states the metric with its unit and denominator, ticks carry thousands
/// separators (percent ticks stop at 100%), the x axis is time-proportional with readable
/// dates (days or months, at most about eight labels), every line has a legend entry, its
/// own colour, dash pattern and marker shape (readable in grey print), and its last value
/// written at its end. Points where the input list changed get a dotted vertical line and a
/// note. Each point carries a tooltip (`<title>`). Plain shapes and text only, every label
/// escaped.
public enum SVGLineChart {
    static let width = 820
    static let plotLeft = 64
    static let plotRight = 730
    static let plotTop = 70
    static let plotHeight = 240
    static let colors = ["#3b73b9", "#d9822b", "#2f9e5a", "#8e5ab5"]
    static let dashes = ["", "7 4", "2 3", "9 3 2 3"]

    /// The chart of `section` (its `lineChart` over its rows); empty when it has none.
    public static func render(_ section: ReportTable) -> String {
        guard let spec = section.lineChart else { return "" }
        return render(section.seriesPoints, chart: spec, title: section.title)
    }

    public static func render(_ points: [SeriesPoint], chart spec: SeriesChart, title: String) -> String {
        let parsed = points.map { Calendar.instant($0.date) }
        guard !points.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return "" }
        let times = parsed.map { $0! }
        let x = TimeAxis(times: times, left: Double(plotLeft), right: Double(plotRight))
        let values = points.flatMap { $0.values.compactMap { $0 } }
        let y = ValueAxis(largest: values.max() ?? 0, percent: spec.valueIsPercent,
                          top: Double(plotTop), bottom: Double(plotTop + plotHeight))
        let bottom = plotTop + plotHeight
        var grid: [String] = [], body: [String] = [], axes: [String] = []

        // Legend: one entry per line, its swatch drawn like the line.
        var legendX = 8.0
        for (index, line) in spec.lines.enumerated() {
            body.append(swatch(index, x: legendX, y: 38))
            body.append("<text x=\"\(format(legendX + 30))\" y=\"42\">\(HTMLEscaping.escape(line.name))</text>")
            legendX += 30 + Double(line.name.count) * 6.8 + 22
        }
        axes.append("<text x=\"8\" y=\"\(plotTop - 12)\" fill=\"#444\">\(HTMLEscaping.escape(spec.metric))</text>")

        // Value axis: grid lines, ticks, labels.
        for tick in y.ticks {
            let position = format(y.position(tick))
            grid.append("<line x1=\"\(plotLeft)\" y1=\"\(position)\" x2=\"\(plotRight)\" y2=\"\(position)\" stroke=\"#e2e2e2\"/>")
            axes.append("<text x=\"\(plotLeft - 6)\" y=\"\(format(y.position(tick) + 4))\" text-anchor=\"end\" fill=\"#444\">"
                        + HTMLEscaping.escape(valueText(tick, spec)) + "</text>")
        }
        axes.append("<line x1=\"\(plotLeft)\" y1=\"\(plotTop)\" x2=\"\(plotLeft)\" y2=\"\(bottom)\" stroke=\"#444\"/>")
        axes.append("<line x1=\"\(plotLeft)\" y1=\"\(bottom)\" x2=\"\(plotRight)\" y2=\"\(bottom)\" stroke=\"#444\"/>")

        // Time axis: ticks at whole minutes (scans within a day), days or first days of months.
        for tick in x.ticks {
            let position = format(x.position(tick.time))
            axes.append("<line x1=\"\(position)\" y1=\"\(bottom)\" x2=\"\(position)\" y2=\"\(bottom + 4)\" stroke=\"#444\"/>")
            axes.append("<text x=\"\(position)\" y=\"\(bottom + 17)\" text-anchor=\"middle\" fill=\"#444\">\(tick.label)</text>")
        }
        axes.append("<text x=\"\(plotLeft)\" y=\"\(bottom + 35)\" fill=\"#444\">"
                    + "scan start time (UTC), one point per scan</text>")

        // List changes: a dotted vertical line at each (when few enough to read), and a note.
        let changes = points.indices.filter { points[$0].change != nil }
        var notes: [String] = []
        if !changes.isEmpty {
            if changes.count <= 12 {
                for index in changes {
                    let position = format(x.position(times[index]))
                    grid.append("<line x1=\"\(position)\" y1=\"\(plotTop)\" x2=\"\(position)\" y2=\"\(bottom)\" "
                                + "stroke=\"#888\" stroke-dasharray=\"2 3\"/>")
                }
                let named = changes.prefix(4).map { "scan \(points[$0].label): \(points[$0].change!)" }.joined(separator: "; ")
                notes.append("Dotted vertical lines: the input list changed (\(named)\(changes.count > 4 ? "; ..." : "")).")
            } else {
                notes.append("The input list changed at \(changes.count) of \(points.count) scans (see list_change).")
            }
            notes.append("Rates compare across lists; counts do not.")
        }

        // The lines, their markers (with tooltips) and end labels.
        var ends: [(y: Double, text: String, line: Int)] = []
        for (line, lineSpec) in spec.lines.enumerated() {
            var path = ""
            var drawing = false
            var last: (Double, Double, Double)?
            for (index, point) in points.enumerated() {
                guard let value = point.values[line] else { drawing = false; continue }
                let px = x.position(times[index]), py = y.position(value)
                path += (drawing ? "L" : "M") + format(px) + " " + format(py)
                drawing = true
                last = (px, py, value)
            }
            guard !path.isEmpty else { continue }
            body.append("<path d=\"\(path)\" fill=\"none\" stroke=\"\(color(line))\" stroke-width=\"2\""
                        + dashAttribute(line) + "/>")
            for (index, point) in points.enumerated() {
                guard let value = point.values[line] else { continue }
                let tip = "scan \(point.label), \(point.date): \(lineSpec.name) \(valueText(value, spec))"
                body.append(marker(line, x: x.position(times[index]), y: y.position(value), tip: tip))
            }
            if let last { ends.append((last.1, valueText(last.2, spec), line)) }
        }
        // End labels never overlap: each at least 13 px below the one above.
        ends.sort { $0.y < $1.y }
        var previous = -Double.infinity
        for end in ends {
            let labelY = max(end.y + 4, previous + 13)
            previous = labelY
            body.append("<text x=\"\(plotRight + 10)\" y=\"\(format(labelY))\" fill=\"\(color(end.line))\">"
                        + HTMLEscaping.escape(end.text) + "</text>")
        }

        let height = SVGFrame.notes(notes, x: plotLeft, top: bottom + 44, into: &axes)
        var out = SVGFrame.open(width: width, height: height, title: title, label: title + ": " + spec.metric + ", over time")
        out += grid.joined() + "\n" + axes.joined() + "\n" + body.joined(separator: "\n") + "\n"
        return out + "</svg>\n"
    }

    static func color(_ line: Int) -> String { colors[line % colors.count] }

    static func dashAttribute(_ line: Int) -> String {
        let dash = dashes[line % dashes.count]
        return dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
    }

    /// A legend swatch: a short stretch of the line with its marker.
    static func swatch(_ line: Int, x: Double, y: Double) -> String {
        "<path d=\"M\(format(x)) \(format(y))H\(format(x + 24))\" stroke=\"\(color(line))\" stroke-width=\"2\""
            + dashAttribute(line) + "/>" + marker(line, x: x + 12, y: y, tip: nil)
    }

    /// Circle, square, diamond, triangle: one shape per line.
    static func marker(_ line: Int, x: Double, y: Double, tip: String?) -> String {
        let fill = "fill=\"\(color(line))\""
        let title = tip.map { "<title>\(HTMLEscaping.escape($0))</title>" } ?? ""
        let shape: String
        switch line % 4 {
        case 0: shape = "circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"3.5\""
        case 1: shape = "rect x=\"\(format(x - 3.2))\" y=\"\(format(y - 3.2))\" width=\"6.4\" height=\"6.4\""
        case 2: shape = "path d=\"M\(format(x)) \(format(y - 4.5))L\(format(x + 4.5)) \(format(y))L\(format(x)) \(format(y + 4.5))L\(format(x - 4.5)) \(format(y))Z\""
        default: shape = "path d=\"M\(format(x)) \(format(y - 4.5))L\(format(x + 4.5)) \(format(y + 3.5))L\(format(x - 4.5)) \(format(y + 3.5))Z\""
        }
        let name = String(shape.prefix { $0 != " " })
        return title.isEmpty ? "<\(shape) \(fill)/>" : "<\(shape) \(fill)>\(title)</\(name)>"
    }

    static func valueText(_ value: Double, _ chart: SeriesChart) -> String {
        chart.valueIsPercent ? SVGBarChart.percentText(value) : SVGBarChart.grouped(value)
    }

    static func format(_ value: Double) -> String { SVGBarChart.format(value) }

    /// The value axis, 0 at the bottom: a nice step above the largest value, at most 100%.
    struct ValueAxis {
        let top: Double
        let ticks: [Double]
        let pixelTop: Double
        let pixelBottom: Double

        init(largest: Double, percent: Bool, top pixelTop: Double, bottom pixelBottom: Double) {
            let step = SVGBarChart.Axis.niceStep(largest > 0 ? largest : 1)
            var top = max((largest / step).rounded(.up) * step, step)
            if percent { top = min(top, 100) }
            self.top = top
            ticks = stride(from: 0.0, through: top + step / 2, by: step).map { $0 }
            self.pixelTop = pixelTop
            self.pixelBottom = pixelBottom
        }

        func position(_ value: Double) -> Double {
            pixelBottom - min(max(value / top, 0), 1) * (pixelBottom - pixelTop)
        }
    }

    /// The time axis: days since 1970-01-01 (fractional: scans are placed by their start
    /// time, so two scans of one day are two points), padded so edge markers stay inside.
    /// Scans within a day get ticks every 5, 10, 15 or 30 minutes or 1-12 hours; longer
    /// spans every 1, 2, 7 or 14 days, else on the first of every 1, 2, 3, 6, 12 or 24
    /// months inside the padded axis, so at most about eight labels show.
    struct TimeAxis {
        let low: Double
        let high: Double
        let left: Double
        let right: Double
        let ticks: [(time: Double, label: String)]

        init(times: [Double], left: Double, right: Double) {
            let firstTime = times.min()!, lastTime = times.max()!
            let span = lastTime - firstTime
            let minutes = 1440.0
            let pad = span == 0 ? 1 : span < 1 ? max(span * 0.06, 5 / minutes) : max(span * 0.04, 0.5)
            low = firstTime - pad
            high = lastTime + pad
            self.left = left
            self.right = right
            let maxLabels = 8
            var ticks: [(Double, String)] = []
            let first = Int(firstTime.rounded(.down)), last = Int(lastTime.rounded(.down))
            if span > 0, span < 1 {
                // Whole multiples of the step (in minutes since 1970) inside the padded axis.
                let lowMinute = Int((low * minutes).rounded(.up)), highMinute = Int((high * minutes).rounded(.down))
                let step = [5, 10, 15, 30, 60, 120, 180, 360, 720].first { (highMinute - lowMinute) / $0 + 1 <= maxLabels } ?? 1440
                var minute = (lowMinute + step - 1) / step * step
                while minute <= highMinute {
                    ticks.append((Double(minute) / minutes, Calendar.minuteLabel(minute)))
                    minute += step
                }
            } else if let step = [1, 2, 7, 14].first(where: { (last - first) / $0 + 1 <= maxLabels }) {
                ticks = stride(from: first, through: last, by: step).map { (Double($0), Calendar.date($0)) }
            } else {
                let (firstYear, firstMonth) = Calendar.month(first)
                let months = { (day: Int) -> Int in let (y, m) = Calendar.month(day); return y * 12 + m - 1 }
                let startMonth = firstYear * 12 + firstMonth - 1, endMonth = months(last)
                let step = [1, 2, 3, 6, 12, 24, 60, 120].first { (endMonth - startMonth) / $0 + 1 <= maxLabels } ?? 120
                // Ticks on the first of a month inside the data's span, aligned to the step.
                // The padded axis may show the first of the month just before the first scan.
                var month = (startMonth / step) * step
                while Double(Calendar.day(month / 12, month % 12 + 1, 1)) < low { month += step }
                while Double(Calendar.day(month / 12, month % 12 + 1, 1)) <= high {
                    let year = month / 12, monthOfYear = month % 12 + 1
                    let label = step % 12 == 0 ? String(year) : Calendar.twoDigits(year, monthOfYear)
                    ticks.append((Double(Calendar.day(year, monthOfYear, 1)), label))
                    month += step
                }
            }
            self.ticks = ticks
        }

        func position(_ day: Double) -> Double { left + (day - low) / (high - low) * (right - left) }
    }

    /// Proleptic Gregorian dates as days since 1970-01-01 (Howard Hinnant's civil algorithms):
    /// no Foundation calendar or time zone, so the chart is the same on every machine.
    enum Calendar {
        /// `YYYY-MM-DD` (anything after the tenth character ignored) to days; nil when malformed.
        static func days(_ text: String) -> Int? {
            let parts = text.prefix(10).split(separator: "-")
            guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
                  (1...12).contains(m), (1...31).contains(d) else { return nil }
            return day(y, m, d)
        }

        /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]][Z]` (the stored scan times, UTC) to
        /// fractional days; nil when malformed.
        static func instant(_ text: String) -> Double? {
            guard let day = days(text) else { return nil }
            let rest = text.dropFirst(10)
            guard let separator = rest.first else { return Double(day) }
            guard separator == "T" || separator == " " else { return nil }
            let clock = rest.dropFirst().prefix { $0 != "Z" && $0 != "+" }
            let parts = clock.split(separator: ":")
            guard parts.count >= 2, parts.count <= 3, let hour = Int(parts[0]), let minute = Int(parts[1]),
                  (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
            let second = parts.count == 3 ? Double(parts[2]) ?? -1 : 0
            guard second >= 0, second < 61 else { return nil }
            return Double(day) + (Double(hour * 3600 + minute * 60) + second) / 86_400
        }

        /// `MM-DD HH:MM` of a minute since 1970-01-01.
        static func minuteLabel(_ minute: Int) -> String {
            let inDay = minute % 1440, pad = { (n: Int) in (n < 10 ? "0" : "") + "\(n)" }
            return date(minute / 1440).dropFirst(5) + " " + pad(inDay / 60) + ":" + pad(inDay % 60)
        }

        static func day(_ year: Int, _ month: Int, _ dayOfMonth: Int) -> Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + dayOfMonth - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe - 719_468
        }

        static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            let d = doy - (153 * mp + 2) / 5 + 1
            let m = mp < 10 ? mp + 3 : mp - 9
            return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
        }

        static func month(_ days: Int) -> (Int, Int) { let c = civil(days); return (c.year, c.month) }

        static func twoDigits(_ year: Int, _ month: Int) -> String { "\(year)-" + (month < 10 ? "0" : "") + "\(month)" }

        static func date(_ days: Int) -> String {
            let c = civil(days)
            return twoDigits(c.year, c.month) + "-" + (c.day < 10 ? "0" : "") + "\(c.day)"
        }
    }
}
