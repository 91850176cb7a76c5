/// A report for the terminal: one aligned table per section, numbers right-aligned, every
/// cell's control characters made visible and over-long cells shortened.
public enum TextRenderer {
    /// Cells longer than this many characters are cut with "...".
    public static let maxCellWidth = 72
    /// A report's tables aim at this many columns: the widest text columns are cut further
    /// (not below `minFittedWidth`) so rows do not wrap in a terminal. Numbers stay whole;
    /// every value is whole in the other formats and through `stsscan sql`.
    public static let fitWidth = 120
    public static let minFittedWidth = 24

    public static func render(_ report: Report) -> String {
        var out = report.notice.map { "NOTE: " + VisibleText.escape($0) + "\n\n" } ?? ""
        out += VisibleText.escape(report.title) + "\n"
        out += String(repeating: "=", count: report.title.count) + "\n"
        for section in report.sections {
            out += "\n" + VisibleText.escape(section.title) + "\n"
            out += String(repeating: "-", count: section.title.count) + "\n"
            if !section.description.isEmpty { out += VisibleText.escape(section.description) + "\n\n" }
            out += table(section, fitWidth: fitWidth)
        }
        return out
    }

    /// Just the aligned table (header, rule, rows), used by `sql` too; `maxCellWidth` nil
    /// keeps cells whole; `fitWidth` cuts the widest text columns towards that total width.
    public static func table(_ section: ReportTable, maxCellWidth: Int? = TextRenderer.maxCellWidth, fitWidth: Int? = nil) -> String {
        let numeric = section.columns.indices.map { index in
            !section.rows.isEmpty && section.rows.allSatisfy { index < $0.count && ($0[index].isNumber || $0[index] == .null) }
        }
        let header = section.columns.map { cell(.text($0), maxCellWidth) }
        var body = section.rows.map { $0.map { cell($0, maxCellWidth) } }
        var widths = header.map(\.count)
        for row in body {
            for (index, text) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], text.count)
            }
        }
        if let fitWidth, let limits = fittedLimits(widths, header: header, numeric: numeric, total: fitWidth) {
            body = section.rows.map { row in row.enumerated().map { index, value in cell(value, index < limits.count ? limits[index] : maxCellWidth) } }
            widths = limits
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                let pad = String(repeating: " ", count: widths[index] - text.count)
                return numeric[index] ? pad + text : text + pad
            }.joined(separator: "  ").replacingTrailingSpaces() + "\n"
        }
        var out = line(header)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in body { out += line(row) }
        if body.isEmpty { out += "(no rows)\n" }
        return out
    }

    /// Per-column cell limits that bring the table to `total` characters by cutting the
    /// widest text columns first, none below `minFittedWidth` or its header; nil when the
    /// table fits already, or cannot fit (it wraps anyway: then nothing is cut).
    static func fittedLimits(_ widths: [Int], header: [String], numeric: [Bool], total: Int) -> [Int]? {
        let floor = { (index: Int) in max(minFittedWidth, header[index].count) }
        let separators = 2 * max(0, widths.count - 1)
        var excess = widths.reduce(0, +) + separators - total
        guard excess > 0 else { return nil }
        let narrowest = widths.indices.map { numeric[$0] ? widths[$0] : min(widths[$0], floor($0)) }.reduce(0, +) + separators
        guard narrowest <= total else { return nil }
        // One character at a time off the widest text column still above its floor (the first
        // of equals), so the cut columns end within a character of each other.
        var limits = widths
        while excess > 0,
              let widest = limits.indices.filter({ !numeric[$0] && limits[$0] > floor($0) }).max(by: { limits[$0] < limits[$1] }) {
            limits[widest] -= 1
            excess -= 1
        }
        return limits
    }

    static func cell(_ value: ReportValue, _ limit: Int?) -> String {
        let text = VisibleText.escape(value.plain)
        guard let limit, text.count > limit else { return text }
        return String(text.prefix(limit - 3)) + "..."
    }
}

extension String {
    /// The string without trailing spaces (table lines end at their last character).
    func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
