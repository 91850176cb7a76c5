/// The output formats of `report`, `diff` and `sql`, each rendered by its own type.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, md, html, json, csv, ipynb

    /// Renders `report`. `database` is the path the notebook's cells open (ipynb only);
    /// `width` the terminal's columns (text only; nil: `TextRenderer.fitWidth`).
    public func render(_ report: Report, database: String = "scan.sqlite", width: Int? = nil) -> String {
        switch self {
        case .text: TextRenderer.render(report, width: width)
        case .md: MarkdownRenderer.render(report)
        case .html: HTMLRenderer.render(report)
        case .json: JSONRenderer.render(report)
        case .csv: CSVRenderer.render(report)
        case .ipynb: NotebookRenderer.render(report, database: database)
        }
    }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .md: "md"
        default: rawValue
        }
    }
}
