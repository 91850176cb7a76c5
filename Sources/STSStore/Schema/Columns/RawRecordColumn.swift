/// `raw_records`: one TXT record of `stsRawRecords` or `tlsrptRawRecords`.
enum RawRecordColumn: String, ListColumns {
    case kind, text
    static let table = "raw_records"
    static let ordered = allCases
}
