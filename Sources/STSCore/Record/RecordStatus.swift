/// What the TXT lookup at `_mta-sts.<domain>` or `_smtp._tls.<domain>` found
/// (docs/architecture.md, columns `sts_record` and `tlsrpt_record`).
public enum RecordStatus: String, Sendable, Codable, CaseIterable {
    /// No record that looks like the protocol (NXDOMAIN and NODATA included).
    case absent
    /// Exactly one usable record.
    case valid
    /// Record(s) that look like the protocol, but none usable.
    case invalid
    /// The lookup itself failed (timeout, SERVFAIL, other); set by the scanner, never by a parser.
    case error
}
