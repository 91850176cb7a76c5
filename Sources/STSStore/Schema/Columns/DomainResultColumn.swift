/// `domain_results`: the fields of `DomainRecord` that are columns, and the columns the writer
/// derives (`error_code`, `error_detail` from the findings, `tld`), after the key `scan_id`.
enum DomainResultColumn: String, InsertColumns {
    case position, rank, domain, input
    case mxStatus = "mx_status", stsRecord = "sts_record", stsID = "sts_id", stsCNAME = "sts_cname"
    case policyStatus = "policy_status", policyHostCNAME = "policy_host_cname", policyAddress = "policy_address"
    case httpStatus = "http_status", mode, maxAge = "max_age", mxCoverage = "mx_coverage"
    case tlsrptRecord = "tlsrpt_record", tlsrptRUA = "tlsrpt_rua", errorCode = "error_code", errorDetail = "error_detail"
    case scannedAt = "scanned_at", durationMs = "duration_ms", tld, delivery, policyAttempts = "policy_attempts"

    static let table = "domain_results"
    static let ordered = allCases
    static let key = ["scan_id"]
    /// Columns that are not a field of `DomainRecord`.
    static let derived: Set<Self> = [.errorCode, .errorDetail, .tld]
}
