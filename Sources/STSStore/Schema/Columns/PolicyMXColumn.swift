/// `policy_mx`: one pattern of `DomainRecord.policyMX`.
enum PolicyMXColumn: String, ListColumns {
    case pattern
    static let table = "policy_mx"
    static let ordered = allCases
}
