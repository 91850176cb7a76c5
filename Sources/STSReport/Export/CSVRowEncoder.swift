/// One `ExportedDomain` as one CSV record (RFC 4180, CRLF, formula-safe through
/// `CSVEscaping`): the `results` columns, then `findings` (the codes in the order made,
/// joined with `;`) and `mx_hosts` (the host names in the stored order, joined with `;`).
/// A flat table for spreadsheets and data frames; details, probes and patterns are in the
/// JSON lines export.
public enum CSVRowEncoder {
    public static let columns = ScanRowReader.resultColumns + ["findings", "mx_hosts"]

    public static var header: String {
        columns.map(CSVEscaping.cell).joined(separator: ",") + "\r\n"
    }

    public static func record(_ domain: ExportedDomain) -> String {
        var cells = domain.columns.map(CSVEscaping.cell)
        cells.append(CSVEscaping.cell(domain.findings.map(\.code).joined(separator: ";")))
        cells.append(CSVEscaping.cell(domain.mxHosts.map(\.host).joined(separator: ";")))
        return cells.joined(separator: ",") + "\r\n"
    }
}
