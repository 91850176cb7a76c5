/// A report as CSV. One section: a plain CSV table (header + rows). Several: each table
/// is preceded by a `# id: title` line and followed by a blank line, so `--section` gives
/// a file any CSV reader takes and the full output stays splittable.
public enum CSVRenderer {
    public static func render(_ report: Report) -> String {
        if report.sections.count == 1 { return table(report.sections[0]) }
        return (report.notice.map { "# " + CSVEscaping.cell($0) + "\r\n" } ?? "") + report.sections.map { section in
            "# " + section.id + ": " + section.title + "\r\n" + table(section)
        }.joined(separator: "\r\n")
    }

    /// Header and rows with CRLF line ends (RFC 4180).
    public static func table(_ section: ReportTable) -> String {
        var out = section.columns.map(CSVEscaping.cell).joined(separator: ",") + "\r\n"
        for row in section.rows {
            out += row.map(CSVEscaping.cell).joined(separator: ",") + "\r\n"
        }
        return out
    }
}
