import Foundation

/// `world.json`: where a built world's servers listen and which files it consists of
/// (paths relative to the world directory), plus the scan settings under which
/// `truth.csv` holds.
public struct WorldManifest: Codable, Sendable, Equatable {
    /// The DNS servers: `nsd` (authoritative data), `dnsdist` (faults and latency in front)
    /// and `unbound` (a recursive resolver reaching NSD through dnsdist; absent in worlds
    /// built before it existed).
    public struct DNS: Codable, Sendable, Equatable {
        public let nsd: String
        public let dnsdist: String
        public let unbound: String?

        public init(nsd: String, dnsdist: String, unbound: String?) {
            self.nsd = nsd
            self.dnsdist = dnsdist
            self.unbound = unbound
        }
    }

    /// Scanner settings the truth assumes (slow servers are slower than these, DNS drops
    /// last longer than all tries).
    public struct Scan: Codable, Sendable, Equatable {
        public let fetchTimeoutSeconds: Int
        public let dnsTimeoutMs: Int
        public let dnsTries: Int
    }

    public let seed: UInt64
    public let domains: Int
    public let adoption: Double
    /// Share of adopters with a policy host that never answers, when the build asked for one.
    public let hangingHosts: Double?
    public let latencyMs: Int
    public let dns: DNS
    /// `IP:port` of the HTTPS server every working policy host resolves to.
    public let https: String
    /// An address where nothing listens (connection refused).
    public let refused: String
    public let caFile: String
    public let domainsFile: String
    public let truthFile: String
    public let scan: Scan
    /// `IP:port` of the main Postfix address (provider A); every mail address is in
    /// `WorldAddresses` / docs/world.md. Nil in worlds built before the mail side.
    public let mail: String?
    /// Per-host truth of the MX probe (`MXHostTruth`). Nil in worlds built before it.
    public let mxHostsFile: String?

    public static let fileName = "world.json"

    /// Reads `world.json` from a world directory.
    public static func load(from dir: URL) throws -> WorldManifest {
        let data = try Data(contentsOf: dir.appendingPathComponent(fileName))
        return try JSONDecoder().decode(WorldManifest.self, from: data)
    }

    func write(to dir: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: dir.appendingPathComponent(Self.fileName))
    }

    /// The address block, recovered from the NSD address (`127.B.53.1:53`).
    var addresses: WorldAddresses {
        let octets = dns.nsd.split(separator: ":")[0].split(separator: ".")
        return WorldAddresses(block: octets.count == 4 ? UInt8(octets[1]) ?? 0 : 0)
    }
}
