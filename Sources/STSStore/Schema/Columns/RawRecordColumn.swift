/// `raw_records`: one TXT record of `stsRawRecords` or `tlsrptRawRecords`.
enum RawRecordColumn: String, InsertColumns {
    case scanID = "scan_id", position, seq, kind, text
    static let table = "raw_records"
    static let ordered = allCases
}
