/// A report for the terminal: one aligned table per section, numbers right-aligned, every
/// cell's control characters made visible and over-long cells shortened.
public enum TextRenderer {
    /// Cells longer than this many characters are cut with "...".
    public static let maxCellWidth = 72

    public static func render(_ report: Report) -> String {
        var out = report.notice.map { "NOTE: " + VisibleText.escape($0) + "\n\n" } ?? ""
        out += VisibleText.escape(report.title) + "\n"
        out += String(repeating: "=", count: report.title.count) + "\n"
        for section in report.sections {
            out += "\n" + VisibleText.escape(section.title) + "\n"
            out += String(repeating: "-", count: section.title.count) + "\n"
            if !section.description.isEmpty { out += VisibleText.escape(section.description) + "\n\n" }
            out += table(section)
        }
        return out
    }

    /// Just the aligned table (header, rule, rows), used by `sql` too; `maxCellWidth` nil
    /// keeps cells whole.
    public static func table(_ section: ReportTable, maxCellWidth: Int? = TextRenderer.maxCellWidth) -> String {
        let header = section.columns.map { cell(.text($0), maxCellWidth) }
        let body = section.rows.map { $0.map { cell($0, maxCellWidth) } }
        var widths = header.map(\.count)
        for row in body {
            for (index, text) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], text.count)
            }
        }
        let numeric = section.columns.indices.map { index in
            !section.rows.isEmpty && section.rows.allSatisfy { index < $0.count && ($0[index].isNumber || $0[index] == .null) }
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
