/// `policy_bodies`: `DomainRecord.policyBody`.
enum PolicyBodyColumn: String, InsertColumns {
    case body, truncated
    static let table = "policy_bodies"
    static let ordered = allCases
    static let key = ["scan_id", "position"]
}
