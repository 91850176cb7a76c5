/// `findings`: one `Finding` of a record (`seq` is its index in `DomainRecord.findings`).
enum FindingColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, code, severity, stage, detail
    static let table = "findings"
    static let ordered = allCases
}
