/// `findings`: one `Finding` of a record (`seq` is its index in `DomainRecord.findings`).
enum FindingColumn: String, ListColumns {
    case code, severity, stage, detail
    static let table = "findings"
    static let ordered = allCases
}
