/// One CSV cell (RFC 4180), safe to open in a spreadsheet: text starting with `=`, `+`,
/// `-`, `@`, TAB or CR gets a leading `'` so it is never evaluated as a formula (OWASP
/// "CSV injection"); cells with a comma, quote, CR or LF are quoted with `"` doubled.
/// Numbers are written as numbers (a negative number is not a formula).
public enum CSVEscaping {
    public static func cell(_ value: ReportValue) -> String {
        switch value {
        case .null: return ""
        case .integer, .real: return value.plain
        case .text(let text): return cell(text)
        }
    }

    public static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
