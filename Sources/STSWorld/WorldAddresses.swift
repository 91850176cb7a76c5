/// The loopback addresses one world uses. `block` picks the second octet so several
/// worlds (e.g. parallel tests) can run side by side:
///
/// | address | what |
/// |---|---|
/// | `127.B.53.1:53` | NSD (authoritative) |
/// | `127.B.53.2:53` | dnsdist (faults, latency) in front of NSD |
/// | `127.B.53.3:53` | Unbound: the world's recursive resolver (stub zones to dnsdist) |
/// | `127.B.54.1:443` | nginx: every policy host |
/// | `127.B.54.2` | nothing listens: HTTPS connection refused |
/// | `127.B.55.1:25` | Postfix: mail provider A (`mx1/mx2.mailhost-a.com`), non-adopters' own MX hosts |
/// | `127.B.55.2:25` | Postfix: mail provider B (`mx.mailhost-b.net`) |
/// | `127.B.55.3:25` | Postfix: provider T, one MX name per tenant (`<tenant>.mail.protection.mailhost-t.com`) |
/// | `127.B.55.4:25` | Postfix smtpd without STARTTLS |
/// | `127.B.55.5:25` | Postfix smtpd offering STARTTLS with TLSv1 only: the handshake fails |
/// | `127.B.55.6:25` | Postfix smtpd that never greets (tarpit: `sleep` before the banner) |
/// | `127.B.55.7:25` | Postfix smtpd greeting with `554` (5xx) |
/// | `127.B.55.8` | nothing listens: SMTP connection refused |
/// | `127.B.55.32-63:25` | Postfix: self-hosted MX hosts, spread over 32 addresses by name |
/// | `[::1]:25` | Postfix: the IPv6-only MX hosts (`mx-ipv6-only`), when this machine routes `::1`; shared by every world on the machine, so one world at a time serves it |
///
/// Every Postfix address is one `smtpd` service of the same Postfix instance. On the
/// ordinary ones the certificate is the address's own (providers, or one per self-hosted
/// address naming its hosts), or the MX name's own through TLS SNI (`MailCertificates`).
public struct WorldAddresses: Sendable, Equatable {
    public let block: UInt8

    public init(block: UInt8 = 0) { self.block = block }

    public var nsdIP: String { "127.\(block).53.1" }
    public var dnsdistIP: String { "127.\(block).53.2" }
    public var unboundIP: String { "127.\(block).53.3" }
    public var httpsIP: String { "127.\(block).54.1" }
    public var refusedIP: String { "127.\(block).54.2" }
    public var dnsPort: Int { 53 }
    public var httpsPort: Int { 443 }

    // MARK: mail (port 25)

    /// Provider A's MX hosts; also the A record of non-adopters' own MX hosts and of the
    /// `no-mx` domains. Postfix's readiness and status probe address.
    public var mailIP: String { "127.\(block).55.1" }
    /// Provider B's MX host.
    public var providerBMailIP: String { "127.\(block).55.2" }
    /// Provider T's shared address behind thousands of per-tenant MX names.
    public var tenantMailIP: String { "127.\(block).55.3" }
    /// An smtpd that does not offer STARTTLS.
    public var noStartTLSMailIP: String { "127.\(block).55.4" }
    /// An smtpd whose STARTTLS handshake fails (TLSv1 only, refused by OpenSSL 3 clients).
    public var handshakeFailMailIP: String { "127.\(block).55.5" }
    /// An smtpd that accepts the connection and never sends its greeting.
    public var tarpitMailIP: String { "127.\(block).55.6" }
    /// An smtpd whose greeting is `554` (5xx).
    public var rejectingMailIP: String { "127.\(block).55.7" }
    /// Nothing listens on port 25 here.
    public var refusedMailIP: String { "127.\(block).55.8" }
    /// How many addresses self-hosted MX hosts spread over.
    public static let selfHostedMailAddresses = 32
    /// The `n`th self-hosted MX address (`n` taken modulo `selfHostedMailAddresses`).
    public func selfHostedMailIP(_ n: Int) -> String {
        "127.\(block).55.\(32 + n % Self.selfHostedMailAddresses)"
    }
    public var mailPort: Int { 25 }
    /// The IPv6-only MX hosts' address: IPv6 loopback is the one address `::1/128`, the
    /// same in every block.
    public var ipv6MailIP: String { "::1" }
    /// Whether this machine routes `::1` (judged as the scanner judges it: `Probe.routeExists`).
    /// Decides, at build time, whether the IPv6-only MX hosts are served and probed, or
    /// expected as `mx-host-ipv6-only`; checked once per process.
    public static let ipv6Routable: Bool = Probe.routeExists(to: "::1")

    /// Addresses where the world's Postfix answers with its ordinary smtpd (STARTTLS with
    /// the certificate of the SNI name).
    public var ordinaryMailIPs: [String] {
        [mailIP, providerBMailIP, tenantMailIP] + (0..<Self.selfHostedMailAddresses).map(selfHostedMailIP)
    }
}
