/// One MX host of a domain as the delivery verdict sees it.
public struct MXHostCheck: Sendable, Equatable {
    public let host: String
    /// Matched by one of the policy's `mx` patterns (RFC 8461 §4.1).
    public let covered: Bool
    /// Why its STARTTLS probe failed (an `mx-tls` finding code), nil when TLS validated.
    public let failure: FindingCode?
    /// What the probe saw, for the finding's detail.
    public let detail: String

    public init(host: String, covered: Bool, failure: FindingCode?, detail: String = "") {
        self.host = host
        self.covered = covered
        self.failure = failure
        self.detail = detail
    }

    /// A host passes when it is covered AND its TLS validated (rfc8461-8460-rules.md §5).
    public var passes: Bool { covered && failure == nil }
}

/// The delivery verdict of a domain with a valid `enforce` or `testing` policy and probed
/// MX hosts, and the findings that explain it. Pure: the probe supplies the facts.
public enum DeliveryVerdict {
    /// `hosts` in the order the findings should name them (the probe sorts by preference,
    /// then name). No hosts: no verdict (nothing to deliver to; null MX, no MX).
    ///
    /// Findings: each host's TLS failure (stage `mx-tls`, detail prefixed with the host), then
    /// `delivery-degraded` (warning) or `delivery-fails` (error). Uncovered hosts already have
    /// their `mx-coverage` finding; they count as failing whatever their TLS.
    public static func evaluate(_ hosts: [MXHostCheck]) -> (delivery: Delivery?, findings: [Finding]) {
        guard !hosts.isEmpty else { return (nil, []) }
        var findings: [Finding] = []
        for host in hosts {
            guard let failure = host.failure else { continue }
            findings.append(Finding(failure, host.detail.isEmpty ? host.host : "\(host.host): \(host.detail)"))
        }
        let passing = hosts.filter(\.passes).count
        let failing = hosts.filter { !$0.passes }.map(\.host)
        if passing == hosts.count { return (.ok, findings) }
        let list = failing.joined(separator: ", ")
        if passing == 0 {
            findings.append(Finding(.deliveryFails, "no MX host passes: \(list)"))
            return (.fails, findings)
        }
        findings.append(Finding(.deliveryDegraded, "\(failing.count) of \(hosts.count) MX hosts fail: \(list)"))
        return (.degraded, findings)
    }
}
