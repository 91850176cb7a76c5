import STSCore
import STSEngine

/// Maps a failed DNS lookup to the finding of the stage that made it: one table, so every
/// stage reports timeouts, SERVFAIL and other failures the same way.
enum DNSFindings {
    enum Lookup { case mx, stsTXT, policyHost, tlsrptTXT }

    /// The finding for a lookup that failed after retries; nil for ok/nodata/nxdomain, which
    /// each stage interprets itself.
    static func failure(_ status: DNSStatus, lookup: Lookup, name: String) -> Finding? {
        let timeout, servfail, other: FindingCode
        switch lookup {
        case .mx: (timeout, servfail, other) = (.mxDNSTimeout, .mxDNSServfail, .mxDNSError)
        case .stsTXT: (timeout, servfail, other) = (.txtDNSTimeout, .txtDNSServfail, .txtDNSError)
        case .policyHost: (timeout, servfail, other) = (.policyHostDNSTimeout, .policyHostDNSServfail, .policyHostDNSError)
        case .tlsrptTXT: (timeout, servfail, other) = (.tlsrptDNSTimeout, .tlsrptDNSServfail, .tlsrptDNSError)
        }
        switch status {
        case .ok, .nodata, .nxdomain: return nil
        case .timeout: return Finding(timeout, name)
        case .servfail: return Finding(servfail, name)
        case .refused: return Finding(other, "\(name): REFUSED")
        case .error(let message): return Finding(other, "\(name): \(message)")
        }
    }

    /// The `mx_status` of an MX lookup that ended with `status`.
    static func mxStatus(_ status: DNSStatus) -> MXStatus {
        switch status {
        case .ok: .ok
        case .nodata: .nodata
        case .nxdomain: .nxdomain
        case .timeout: .timeout
        case .servfail: .servfail
        case .refused, .error: .error
        }
    }
}
