/// A horizontal bar chart as inline SVG: one bar per (label, value), scaled to the largest
/// value, with the figure printed after each bar. Plain shapes and text only (no script,
/// no external reference), every label escaped.
public enum SVGBarChart {
    static let width = 640
    static let labelWidth = 230
    static let rowHeight = 22
    static let maxLabel = 34

    public static func render(_ bars: [(label: String, value: Double)], title: String) -> String {
        guard !bars.isEmpty else { return "" }
        let height = bars.count * rowHeight + 8
        let largest = max(bars.map(\.value).max() ?? 0, 0)
        let room = Double(width - labelWidth - 70)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
        out += "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTMLEscaping.escape(title))\">\n"
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * rowHeight
            let length = largest > 0 ? Int((max(bar.value, 0) / largest * room).rounded()) : 0
            var label = bar.label.isEmpty ? "(none)" : bar.label
            if label.count > maxLabel { label = String(label.prefix(maxLabel - 3)) + "..." }
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(HTMLEscaping.escape(label))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 6)\" class=\"bar\"/>"
            out += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\">\(ReportValue.real(bar.value).plain)</text>\n"
        }
        return out + "</svg>\n"
    }
}
