import STSCore

/// The `outcome` of an `mx_probes` row: the host passed (greeting, STARTTLS, a certificate
/// that validates for the host), or the `mx-tls` finding a sender would meet first.
public enum MXProbeOutcome: Sendable, Hashable {
    case ok
    case failure(FindingCode)

    /// The stored text: `ok`, or the finding code (the schema's CHECK: `ok` or `mx-...`).
    public var rawValue: String {
        switch self {
        case .ok: "ok"
        case .failure(let code): code.rawValue
        }
    }

    /// The outcome a stored `outcome` text names; nil for anything else.
    public init?(rawValue: String) {
        if rawValue == "ok" {
            self = .ok
        } else if let code = FindingCode(rawValue: rawValue) {
            self = .failure(code)
        } else {
            return nil
        }
    }
}
