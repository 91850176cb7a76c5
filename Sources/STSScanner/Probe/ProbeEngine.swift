import STSCore
import STSEngine

/// What a domain probe needs from the network: DNS lookups and one policy fetch.
/// `Engine` is the real one; tests substitute a scripted engine so the probe's decisions
/// are checked without sockets.
public protocol ProbeEngine: Sendable {
    /// Answers `lookups` in order. Each answer's `elapsedMs` is the time its lookup took.
    func resolve(_ lookups: [DNSLookup]) async -> [DNSAnswer]
    func fetchPolicy(host: String, address: String, port: Int) async -> FetchResult
    /// STARTTLS probe of an MX host at `address` (rfc8461-8460-rules.md §5).
    func probeSMTP(host: String, address: String, port: Int, ehloName: String) async -> SMTPProbeResult
    /// Whether this machine has a route to `address` (an IPv6 address is tried only then).
    func hasRoute(to address: String) -> Bool
}

extension ProbeEngine {
    /// The kernel's answer (`AddressRoute`).
    public func hasRoute(to address: String) -> Bool { AddressRoute.exists(to: address) }
}

extension ProbeEngine {
    /// One lookup.
    func resolve(_ name: String, _ type: DNSType) async -> DNSAnswer {
        await resolve([DNSLookup(name, type)])[0]
    }
}

extension Engine: ProbeEngine {}
