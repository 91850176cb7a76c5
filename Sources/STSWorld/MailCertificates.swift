import Foundation

/// The certificates of the world's MX hosts. Chain files (`postfix/chains/*.pem`) hold the
/// shared leaf key first, then the certificate (Postfix's format).
///
/// - Each self-hosted address (`127.B.55.32-63`) has one certificate naming every MX host
///   with a valid certificate on that address (`self-hosted-NN.pem`), the default chain of
///   that address's smtpd: like a mail server carrying one certificate for the domains it
///   serves.
/// - The providers' addresses present `providers.pem` (provider A's and B's names and
///   `*.mail.protection.mailhost-t.com` for provider T's tenants).
/// - Hosts with a failure certificate (expired, not yet valid, self-signed, unknown CA,
///   wrong name), and valid ones on any other address, are in Postfix's SNI table
///   (`postfix/sni`, `name chain-file` lines, compiled by `postmap -F` at `world start`).
///
/// Why not one SNI entry per name: Postfix decodes the key and chain of an SNI table entry
/// on every handshake, about 0.66 ms of CPU per probe with OpenSSL 3.0 (measured: 1.97 ms
/// per STARTTLS probe with the entry, 1.24 ms with the default chain); the world shares the
/// scanner's two cores, so that cost would be counted against the probe.
final class MailCertificates {
    static let hostsPerCertificate = 64
    static let directory = "postfix/chains"
    static let sniSource = "postfix/sni"
    static let defaultChain = "\(directory)/providers.pem"
    /// Certificates a `.longChain` host sends: its own and 99 intermediates.
    static let longChainLength = 100

    /// The default chain of the `n`th self-hosted address's smtpd.
    static func selfHostedChain(_ n: Int) -> String { String(format: "\(directory)/self-hosted-%02d.pem", n) }

    private let root: String
    private let factory: CertificateFactory
    private let addresses: WorldAddresses
    private let sni: FileSink
    private var pending: [String] = []
    private var seen: Set<String> = []
    private var selfHosted: [[String]]
    private var intermediates: CertificateFactory.IntermediateChain?
    private let seed: UInt64
    private let selfHostedIndex: [String: Int]
    /// Group chain files written so far.
    private(set) var groups = 0
    /// Chain files of single hosts written so far.
    private(set) var singles = 0
    /// Names in the SNI table.
    private(set) var names = 0

    init(directory root: String, factory: CertificateFactory, addresses: WorldAddresses, seed: UInt64) throws {
        self.root = root
        self.seed = seed
        self.factory = factory
        self.addresses = addresses
        selfHosted = Array(repeating: [], count: WorldAddresses.selfHostedMailAddresses)
        selfHostedIndex = Dictionary(uniqueKeysWithValues: (0..<WorldAddresses.selfHostedMailAddresses).map {
            (addresses.selfHostedMailIP($0), $0)
        })
        try FileSink.makeDirectory("\(root)/postfix")
        try FileSink.makeDirectory("\(root)/\(Self.directory)")
        sni = try FileSink(path: "\(root)/\(Self.sniSource)")
        sni.write("# MX names whose certificate is not their address's default chain (generated).\n")
        let pem = try factory.groupPEM(hosts: Providers.mailCertificateNames, number: (1 << 21) | 1, label: "mail providers")
        try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(Self.defaultChain)")
    }

    /// Adds an MX host served at `address` (its A record after CNAMEs); a name seen before
    /// keeps its first certificate.
    func add(_ host: MailHostPlan, address: String?, serial: UInt64) throws {
        guard seen.insert(host.host).inserted else { return }
        if host.cert == .valid {
            if let address, let n = selfHostedIndex[address] {
                selfHosted[n].append(host.host)
                return
            }
            pending.append(host.host)
            if pending.count == Self.hostsPerCertificate { try flush() }
            return
        }
        var certificate = try factory.chainPEM(host: host.host, kind: host.cert, serial: serial)
        if host.cert == .longChain {
            if intermediates == nil { intermediates = try factory.intermediateChain(count: Self.longChainLength - 1, seed: seed) }
            certificate = try factory.longChainPEM(host: host.host, chain: intermediates!, serial: serial)
        }
        // .none has no certificate: such a host is served by a scenario address, not by SNI.
        guard let pem = certificate else { return }
        let path = "\(Self.directory)/\(host.host).pem"
        try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(path)")
        singles += 1
        entry(host.host, path)
    }

    /// Writes the last, partly filled group and every self-hosted address's certificate
    /// (its first name, `self-hosted-NN.mx.world.invalid`, keeps an unused one valid), and
    /// closes the SNI source.
    func finish() throws {
        if !pending.isEmpty { try flush() }
        for (n, hosts) in selfHosted.enumerated() {
            let pem = try factory.groupPEM(hosts: [String(format: "self-hosted-%02d.mx.world.invalid", n)] + hosts,
                                           number: (1 << 22) | n, label: "self-hosted MX \(addresses.selfHostedMailIP(n))")
            try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(Self.selfHostedChain(n))")
        }
        try sni.close()
    }

    /// Certificate files written (groups, single hosts, self-hosted addresses, providers).
    var files: Int { groups + singles + selfHosted.count + 1 }

    private func flush() throws {
        groups += 1
        let path = String(format: "\(Self.directory)/mx-group-%06d.pem", groups)
        let pem = try factory.groupPEM(hosts: pending, number: (1 << 20) | groups, label: "MX hosts")
        try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(path)")
        for host in pending { entry(host, path) }
        pending.removeAll(keepingCapacity: true)
    }

    private func entry(_ name: String, _ path: String) {
        sni.write("\(name) \(root)/\(path)\n")
        names += 1
    }
}
