/// A report as one self-contained HTML file: inline CSS, inline SVG bar charts, tables,
/// and each section's SQL in a collapsed block. No script and no remote asset, so the file
/// can be mailed or archived and opens the same forever. Every cell is HTML-escaped.
public enum HTMLRenderer {
    public static func render(_ report: Report) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLEscaping.escape(report.title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
            table { border-collapse: collapse; margin: .5em 0; font-size: .9em; }
            th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            td { max-width: 40em; overflow-wrap: anywhere; }
            svg { display: block; margin: .5em 0; font-size: 12px; } svg { max-width: 100%; height: auto; }
            nav a { margin-right: .8em; } pre { background: #f7f7f7; padding: .6em; overflow-x: auto; }
            .desc { color: #555; } .notice { background: #fff3cd; border: 1px solid #e0c36c; padding: .6em; }
            \(report.sections.contains { $0.lineChart != nil } ? seriesStyle : "")</style>
            </head>
            <body>
            \(report.notice.map { "<p class=\"notice\"><strong>Note:</strong> " + HTMLEscaping.escape($0) + "</p>" } ?? "")
            <h1>\(HTMLEscaping.escape(report.title))</h1>

            """
        out += "<nav>" + report.sections.map { "<a href=\"#\(HTMLEscaping.escape($0.id))\">\(HTMLEscaping.escape($0.title))</a>" }
            .joined(separator: " ") + "</nav>\n"
        for section in report.sections {
            out += "<section id=\"\(HTMLEscaping.escape(section.id))\">\n"
            out += "<h2>\(HTMLEscaping.escape(section.title))</h2>\n"
            if !section.description.isEmpty { out += "<p class=\"desc\">\(HTMLEscaping.escape(section.description))</p>\n" }
            out += SVGBarChart.render(section)
            out += SVGLineChart.render(section)
            out += SVGCDFChart.render(section)
            out += table(section)
            out += "<details><summary>SQL</summary><pre>\(HTMLEscaping.escape(section.sql, keepNewlines: true))</pre></details>\n"
            out += "</section>\n"
        }
        return out + "</body>\n</html>\n"
    }

    /// The series report's tables are wide (a column per count and rate): each scrolls on its
    /// own, and dates and numbers stay on one line.
    static let seriesStyle = "table { display: block; overflow-x: auto; max-width: 100%; } td { white-space: nowrap; }\n"

    /// One `<table>`; numeric cells are right-aligned.
    public static func table(_ section: ReportTable) -> String {
        var out = "<table>\n<thead><tr>"
        out += section.columns.map { "<th>\(HTMLEscaping.escape($0))</th>" }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for row in section.rows {
            out += "<tr>" + row.map { value in
                value.isNumber ? "<td class=\"n\">\(value.plain)</td>" : "<td>\(HTMLEscaping.escape(value.plain))</td>"
            }.joined() + "</tr>\n"
        }
        if section.rows.isEmpty {
            out += "<tr><td colspan=\"\(max(section.columns.count, 1))\">(no rows)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}
