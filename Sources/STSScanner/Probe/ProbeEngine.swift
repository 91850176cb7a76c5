import STSCore
import STSEngine

/// What a domain probe needs from the network: DNS lookups and one policy fetch.
/// `Engine` is the real one; tests substitute a scripted engine so the probe's decisions
/// are checked without sockets.
public protocol ProbeEngine: Sendable {
    func resolve(_ name: String, _ type: DNSType) async -> DNSAnswer
    func fetchPolicy(host: String, address: String, port: Int) async -> FetchResult
}

extension Engine: ProbeEngine {}
