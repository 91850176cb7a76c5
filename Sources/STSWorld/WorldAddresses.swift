/// The loopback addresses one world uses. `block` picks the second octet so several
/// worlds (e.g. parallel tests) can run side by side: NSD `127.B.53.1:53`, dnsdist
/// `127.B.53.2:53`, Unbound (the world's recursive resolver) `127.B.53.3:53`, nginx `127.B.54.1:443`, nothing on `127.B.54.2` (connection refused),
/// MX hosts on `127.B.55.x` (never contacted).
public struct WorldAddresses: Sendable, Equatable {
    public let block: UInt8

    public init(block: UInt8 = 0) { self.block = block }

    public var nsdIP: String { "127.\(block).53.1" }
    public var dnsdistIP: String { "127.\(block).53.2" }
    public var unboundIP: String { "127.\(block).53.3" }
    public var httpsIP: String { "127.\(block).54.1" }
    public var refusedIP: String { "127.\(block).54.2" }
    public var mailIP: String { "127.\(block).55.1" }
    public var dnsPort: Int { 53 }
    public var httpsPort: Int { 443 }
}
