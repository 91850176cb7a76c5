import Foundation

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

    /// `report` for a terminal `width` columns wide: paragraphs are wrapped at word
    /// boundaries, tables cut their widest text columns to fit, and a table that cannot fit
    /// even so prints each row as one field per line, values wrapped, so no line is wider than
    /// the terminal and no value is lost. Without a width (a file or a pipe) paragraphs stay
    /// one line each and tables aim at `fitWidth`, left whole when they cannot fit: lines a
    /// script can grep.
    public static func render(_ report: Report, width: Int? = nil) -> String {
        let width = width.map { max($0, minimumWidth) }
        func paragraph(_ text: String) -> String { width.map { wrap(text, width: $0) } ?? text }
        func heading(_ title: String, _ rule: Character) -> String {
            let text = paragraph(title)
            let longest = text.split(separator: "\n").map(\.count).max() ?? 0
            return text + "\n" + String(repeating: rule, count: longest) + "\n"
        }
        var out = report.notice.map { paragraph("NOTE: " + VisibleText.escape($0)) + "\n\n" } ?? ""
        out += heading(VisibleText.escape(report.title), "=")
        for section in report.sections {
            out += "\n" + heading(VisibleText.escape(section.title), "-")
            if !section.description.isEmpty { out += paragraph(VisibleText.escape(section.description)) + "\n\n" }
            out += width.map { fittedTable(section, width: $0) } ?? table(section, fitWidth: fitWidth)
        }
        return out
    }

    /// The narrowest width `render` lays out for: below it, names and values would break
    /// into fragments too short to read.
    public static let minimumWidth = 40

    /// The terminal width to render for: `COLUMNS` when set to a number (as shells export it,
    /// and as a user overrides it), else the terminal's own width when output goes to one,
    /// else nil (`fitWidth`, for files and pipes).
    public static func terminalWidth(environment: [String: String], terminalColumns: Int?) -> Int? {
        if let text = environment["COLUMNS"], let columns = Int(text.trimmingCharacters(in: .whitespaces)), columns > 0 {
            return columns
        }
        return terminalColumns.flatMap { $0 > 0 ? $0 : nil }
    }

    /// `text` wrapped at spaces into lines of at most `width` characters; a word longer than
    /// a line is broken where it must. Lines after the first start with `indent` (not counted
    /// in `width`: the caller's first line has a prefix as long).
    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        let width = max(width, 1)
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            if !line.isEmpty, line.count + 1 + word.count > width { lines.append(line); line = "" }
            while word.count > width {
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            line += (line.isEmpty || word.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines.enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }.joined(separator: "\n")
    }

    /// The aligned table when it fits `width` (its widest text columns cut if need be), else
    /// every row as one field per line: `column  value`, long values wrapped under themselves.
    static func fittedTable(_ section: ReportTable, width: Int) -> String {
        let table = self.table(section, fitWidth: width)
        if table.split(separator: "\n").allSatisfy({ $0.count <= width }) { return table }
        let names = section.columns.map { VisibleText.escape($0) }
        let nameWidth = min(names.map(\.count).max() ?? 0, width / 3)
        var out = ""
        for (number, row) in section.rows.enumerated() {
            out += "[\(number + 1) of \(section.rows.count)]\n"
            for (index, value) in row.enumerated() where index < names.count {
                var name = names[index]
                if name.count > nameWidth { name = String(name.prefix(nameWidth - 1)) + "~" }
                let lead = name + String(repeating: " ", count: nameWidth - name.count) + "  "
                let text = VisibleText.escape(value.plain)
                out += (lead + wrap(text, width: width - lead.count, indent: String(repeating: " ", count: lead.count)))
                    .replacingTrailingSpaces() + "\n"
            }
            if number + 1 < section.rows.count { out += "\n" }
        }
        if section.rows.isEmpty { out += "(no rows)\n" }
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
