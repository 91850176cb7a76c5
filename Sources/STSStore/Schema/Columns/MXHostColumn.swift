/// `mx_hosts`: one `MXHost`.
enum MXHostColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, preference, host, covered
    static let table = "mx_hosts"
    static let ordered = allCases
}
