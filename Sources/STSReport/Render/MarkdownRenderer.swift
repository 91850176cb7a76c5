/// A report as GitHub-flavoured Markdown: a heading, the description, a pipe table per
/// section (every cell escaped), and the section's SQL in a collapsed block.
public enum MarkdownRenderer {
    public static func render(_ report: Report) -> String {
        var out = report.notice.map { "> **Note:** " + MarkdownEscaping.escape($0) + "\n\n" } ?? ""
        out += "# " + MarkdownEscaping.escape(report.title) + "\n"
        for section in report.sections {
            out += "\n## " + MarkdownEscaping.escape(section.title) + "\n\n"
            if !section.description.isEmpty { out += MarkdownEscaping.escape(section.description) + "\n\n" }
            out += table(section)
            out += "\n<details><summary>SQL</summary>\n\n```sql\n" + section.sql + "\n```\n\n</details>\n"
        }
        return out
    }

    static func table(_ section: ReportTable) -> String {
        guard !section.columns.isEmpty else { return "(no columns)\n" }
        var out = "| " + section.columns.map(MarkdownEscaping.escape).joined(separator: " | ") + " |\n"
        let numeric = section.columns.indices.map { index in
            !section.rows.isEmpty && section.rows.allSatisfy { index < $0.count && ($0[index].isNumber || $0[index] == .null) }
        }
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in section.rows {
            out += "| " + row.map { MarkdownEscaping.escape($0.plain) }.joined(separator: " | ") + " |\n"
        }
        if section.rows.isEmpty { out += "\n(no rows)\n" }
        return out
    }
}
