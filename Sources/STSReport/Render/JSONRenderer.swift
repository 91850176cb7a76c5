/// A report as JSON: every number as a JSON number, one object per row keyed by column,
/// plus each section's SQL. Keys keep a fixed order so outputs diff cleanly.
public enum JSONRenderer {
    public static func render(_ report: Report) -> String {
        var out = "{\n"
        if let notice = report.notice { out += "  \"notice\": \(JSONEscaping.string(notice)),\n" }
        out += "  \"kind\": \(JSONEscaping.string(report.kind)),\n"
        out += "  \"title\": \(JSONEscaping.string(report.title)),\n"
        out += "  \"parameters\": {"
        out += report.parameters.keys.sorted().map { "\(JSONEscaping.string($0)): \(report.parameters[$0]!)" }
            .joined(separator: ", ")
        out += "},\n"
        if let setup = report.setupSQL { out += "  \"setup_sql\": \(JSONEscaping.string(setup)),\n" }
        out += "  \"sections\": ["
        out += report.sections.map(section).joined(separator: ",")
        out += report.sections.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    static func section(_ table: ReportTable) -> String {
        var out = "\n    {\n"
        out += "      \"id\": \(JSONEscaping.string(table.id)),\n"
        out += "      \"title\": \(JSONEscaping.string(table.title)),\n"
        out += "      \"description\": \(JSONEscaping.string(table.description)),\n"
        out += "      \"sql\": \(JSONEscaping.string(table.sql)),\n"
        out += "      \"columns\": [" + table.columns.map(JSONEscaping.string).joined(separator: ", ") + "],\n"
        out += "      \"rows\": ["
        out += table.rows.map { "\n        " + rowObject(columns: table.columns, $0) }.joined(separator: ",")
        out += table.rows.isEmpty ? "]\n    }" : "\n      ]\n    }"
        return out
    }

    /// `{"column": value, ...}` for one row.
    public static func rowObject(columns: [String], _ row: [ReportValue]) -> String {
        "{" + zip(columns, row).map { "\(JSONEscaping.string($0)): \(JSONEscaping.value($1))" }
            .joined(separator: ", ") + "}"
    }

    /// The rows of one table as a JSON array of objects (`sql --json`).
    public static func rows(_ table: ReportTable) -> String {
        "[" + table.rows.map { "\n  " + rowObject(columns: table.columns, $0) }.joined(separator: ",")
            + (table.rows.isEmpty ? "]\n" : "\n]\n")
    }
}
