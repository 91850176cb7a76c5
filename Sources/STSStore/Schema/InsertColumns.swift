/// The columns one of the writer's INSERT statements fills, in order. The statement's SQL
/// and the writer's binds both come from `ordered`: the writer binds by switching over
/// each column (an exhaustive switch, so a new column cannot go unbound), and
/// `SchemaTests` checks the cases against the migrated table and the row types' fields.
/// A case's name is the field of the Swift row type it stores, its raw value the column.
protocol InsertColumns: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The table the statement inserts into.
    static var table: String { get }
    /// `allCases`, kept once: the synthesized `allCases` builds a new array at every use.
    static var ordered: [Self] { get }
}

extension InsertColumns {
    /// `INSERT INTO table(c1, c2, ...) VALUES (?, ?, ...)`, then `suffix` (a conflict clause).
    static func insertSQL(_ suffix: String = "") -> String {
        let names = ordered.map(\.rawValue)
        let values = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table)(\(names.joined(separator: ", "))) VALUES (\(values))"
        return suffix.isEmpty ? sql : sql + " " + suffix
    }
}

/// `domain_results`: the fields of `DomainRecord` that are columns, plus `scan_id` and the
/// columns the writer derives (`error_code`, `error_detail` from the findings, `tld`).
enum DomainResultColumn: String, InsertColumns {
    case scanID = "scan_id", position, rank, domain, input
    case mxStatus = "mx_status", stsRecord = "sts_record", stsID = "sts_id", stsCNAME = "sts_cname"
    case policyStatus = "policy_status", policyHostCNAME = "policy_host_cname", policyAddress = "policy_address"
    case httpStatus = "http_status", mode, maxAge = "max_age", mxCoverage = "mx_coverage"
    case tlsrptRecord = "tlsrpt_record", tlsrptRUA = "tlsrpt_rua", errorCode = "error_code", errorDetail = "error_detail"
    case scannedAt = "scanned_at", durationMs = "duration_ms", tld, delivery

    static let table = "domain_results"
    static let ordered = allCases
    /// Columns that are not a field of `DomainRecord`.
    static let derived: Set<Self> = [.scanID, .errorCode, .errorDetail, .tld]
}

/// `findings`: one `Finding` of a record (`seq` is its index in `DomainRecord.findings`).
enum FindingColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, code, severity, stage, detail
    static let table = "findings"
    static let ordered = allCases
}

/// `mx_hosts`: one `MXHost`.
enum MXHostColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, preference, host, covered
    static let table = "mx_hosts"
    static let ordered = allCases
}

/// `policy_mx`: one pattern of `DomainRecord.policyMX`.
enum PolicyMXColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, pattern
    static let table = "policy_mx"
    static let ordered = allCases
}

/// `raw_records`: one TXT record of `stsRawRecords` or `tlsrptRawRecords`.
enum RawRecordColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, kind, text
    static let table = "raw_records"
    static let ordered = allCases
}

/// `policy_bodies`: `DomainRecord.policyBody`.
enum PolicyBodyColumn: String, InsertColumns {
    case scanID = "scan_id", position, body, truncated
    static let table = "policy_bodies"
    static let ordered = allCases
}

/// `mx_probes`: the fields of `MXProbeRecord`, plus `scan_id`.
enum MXProbeColumn: String, InsertColumns {
    case scanID = "scan_id", host, address, ipv6Address = "ipv6_address", outcome, detail, greeting
    case tlsVersion = "tls_version", tlsCipher = "tls_cipher", certSubject = "cert_subject", certIssuer = "cert_issuer"
    case certSANs = "cert_san", certNotAfter = "cert_not_after", certSHA256 = "cert_sha256"
    case chainLength = "chain_length", verifyResult = "verify_result", elapsedMs = "elapsed_ms", probedAt = "probed_at"

    static let table = "mx_probes"
    static let ordered = allCases
    /// Columns that are not a field of `MXProbeRecord`.
    static let derived: Set<Self> = [.scanID]
}
