/// One address a sender's connection went to, and what it met there: an MX host's or a
/// policy host's addresses are tried in order until one gives a usable session (RFC 5321
/// §5.1; at most `AddressAttempt.maxAddresses`). Stored as text, `ADDR outcome` entries
/// joined by `, ` (`mx_probes.attempts`, `domain_results.policy_attempts`).
public struct AddressAttempt: Sendable, Hashable {
    /// The literal connected to (IPv4 dotted quad or RFC 5952 IPv6 text).
    public var address: String
    /// `ok` or an `mx-tls` code (MX probes); the HTTP status or a `fetch` code (policy fetches).
    public var outcome: String

    /// Addresses tried per host at most: RFC 5321 §5.1 asks senders to try more than one
    /// and to bound the number; three is what the project decided (issue 20).
    public static let maxAddresses = 3

    public init(address: String, outcome: String) {
        self.address = address
        self.outcome = outcome
    }

    /// The stored text of `attempts`, nil when there is none.
    public static func text(_ attempts: [AddressAttempt]) -> String? {
        attempts.isEmpty ? nil : attempts.map { "\($0.address) \($0.outcome)" }.joined(separator: ", ")
    }

    /// The attempts a stored text names (the inverse of `text`).
    public static func parse(_ text: String?) -> [AddressAttempt] {
        guard let text, !text.isEmpty else { return [] }
        return text.components(separatedBy: ", ").compactMap { entry in
            let parts = entry.split(separator: " ", maxSplits: 1)
            return parts.count == 2 ? AddressAttempt(address: String(parts[0]), outcome: String(parts[1])) : nil
        }
    }
}
