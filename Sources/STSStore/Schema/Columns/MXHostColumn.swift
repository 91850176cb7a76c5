/// `mx_hosts`: one `MXHost`.
enum MXHostColumn: String, ListColumns {
    case preference, host, covered
    static let table = "mx_hosts"
    static let ordered = allCases
}
