/// `policy_bodies`: `DomainRecord.policyBody`.
enum PolicyBodyColumn: String, InsertColumns {
    case scanID = "scan_id", position, body, truncated
    static let table = "policy_bodies"
    static let ordered = allCases
}
