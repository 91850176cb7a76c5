/// Renders rows as they arrive (`sql`), in the same forms as the whole-table renderers:
/// CSV and JSON row by row; the aligned table sizes its columns from the first
/// `sampleRows` rows, then streams (a longer later cell widens its line only). The table
/// shows SQL NULL as `NULL` (as sqlite3's `.nullvalue NULL`), apart from an empty text; CSV
/// leaves the cell empty, JSON writes `null`.
public final class RowStreamRenderer {
    /// The output forms of `sql`: aligned table, CSV (RFC 4180), JSON array of objects.
    public enum Style: Sendable { case table, csv, json }

    /// Rows the table style holds back to size its columns.
    public static let sampleRows = 1000

    private let style: Style
    private let emit: (String) throws -> Void
    private var columns: [String] = []
    private var sample: [[ReportValue]] = []
    private var widths: [Int] = []
    private var numeric: [Bool] = []
    private var sized = false
    private var rowCount = 0

    /// `emit` receives the output in pieces, in order.
    public init(style: Style, emit: @escaping (String) throws -> Void) {
        self.style = style
        self.emit = emit
    }

    /// Starts the output with the column names (the CSV header, the JSON array's opening).
    public func begin(columns: [String]) throws {
        self.columns = columns
        switch style {
        case .csv: try emit(columns.map(CSVEscaping.cell).joined(separator: ",") + "\r\n")
        case .json: try emit("[")
        case .table: break
        }
    }

    /// One row, in column order.
    public func row(_ values: [ReportValue]) throws {
        defer { rowCount += 1 }
        switch style {
        case .csv: try emit(values.map(CSVEscaping.cell).joined(separator: ",") + "\r\n")
        case .json: try emit((rowCount == 0 ? "\n  " : ",\n  ") + JSONRenderer.rowObject(columns: columns, values))
        case .table:
            if sized { return try emit(line(values.map(Self.tableCell))) }
            sample.append(values)
            if sample.count >= Self.sampleRows { try size() }
        }
    }

    /// Ends the output (the JSON array's end; a table's sample when it had fewer rows).
    public func finish() throws {
        switch style {
        case .csv: break
        case .json: try emit(rowCount == 0 ? "]\n" : "\n]\n")
        case .table:
            if !sized { try size() }
            if rowCount == 0 { try emit("(no rows)\n") }
        }
    }

    /// Works out the widths from the sample, prints the header and the sample.
    private func size() throws {
        let section = ReportTable(id: "query", title: "", description: "", sql: "", columns: columns, rows: sample)
        let header = columns.map { TextRenderer.cell(.text($0), nil) }
        let body = sample.map { $0.map(Self.tableCell) }
        widths = header.map(\.count)
        for cells in body {
            for (index, text) in cells.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        numeric = section.columns.indices.map { index in
            !sample.isEmpty && sample.allSatisfy { index < $0.count && ($0[index].isNumber || $0[index] == .null) }
        }
        sized = true
        try emit(line(header) + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        for cells in body { try emit(line(cells)) }
        sample = []
    }

    /// A table cell: NULL said, everything else as reports show it.
    static func tableCell(_ value: ReportValue) -> String {
        value == .null ? "NULL" : TextRenderer.cell(value, nil)
    }

    private func line(_ cells: [String]) -> String {
        var parts: [String] = []
        for (index, text) in cells.enumerated() {
            let width = index < widths.count ? widths[index] : text.count
            let pad = String(repeating: " ", count: max(0, width - text.count))
            parts.append(index < numeric.count && numeric[index] ? pad + text : text + pad)
        }
        var out = parts.joined(separator: "  ")
        while out.hasSuffix(" ") { out.removeLast() }
        return out + "\n"
    }
}
