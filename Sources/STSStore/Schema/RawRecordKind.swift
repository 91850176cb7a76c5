/// The `kind` of a `raw_records` row; the raw values are the schema's CHECK list.
enum RawRecordKind: String, CaseIterable {
    /// A TXT record at `_mta-sts.<d>`.
    case sts
    /// A TXT record at `_smtp._tls.<d>`.
    case tlsrpt
}
