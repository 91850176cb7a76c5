/// `policy_mx`: one pattern of `DomainRecord.policyMX`.
enum PolicyMXColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, pattern
    static let table = "policy_mx"
    static let ordered = allCases
}
