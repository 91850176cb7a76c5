import Foundation

/// The certificates of the world's MX hosts and Postfix's SNI table source
/// (`postfix/sni`, compiled by `postmap -F` at `world start`): one line per MX host name,
/// `name chain-file`, where a chain file holds the shared leaf key and then the certificate.
///
/// As for policy hosts (`CertificateGroups`), ordinary valid MX hosts share multi-name
/// certificates, `hostsPerCertificate` names each; MX hosts with a failure certificate get
/// one of their own. The shared providers' names are on the default certificate
/// (`postfix/chains/providers.pem`), provider T's tenants through its wildcard name
/// (SNI key `.mail.protection.mailhost-t.com`).
final class MailCertificates {
    static let hostsPerCertificate = 64
    static let directory = "postfix/chains"
    static let sniSource = "postfix/sni"
    static let defaultChain = "\(directory)/providers.pem"

    private let root: String
    private let factory: CertificateFactory
    private let sni: FileSink
    private var pending: [String] = []
    private var seen: Set<String> = []
    /// Group chain files written so far.
    private(set) var groups = 0
    /// Chain files of single hosts written so far.
    private(set) var singles = 0
    /// Names in the SNI table.
    private(set) var names = 0

    init(directory root: String, factory: CertificateFactory) throws {
        self.root = root
        self.factory = factory
        try FileSink.makeDirectory("\(root)/postfix")
        try FileSink.makeDirectory("\(root)/\(Self.directory)")
        sni = try FileSink(path: "\(root)/\(Self.sniSource)")
        let pem = try factory.groupPEM(hosts: Providers.mailCertificateNames, number: (1 << 21) | 1, label: "mail providers")
        try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(Self.defaultChain)")
        for name in Providers.mailA + Providers.mailB + ["." + Providers.tenantSuffix] {
            entry(name, Self.defaultChain)
        }
    }

    /// Adds an MX host; a name seen before keeps its first certificate.
    func add(_ host: MailHostPlan, serial: UInt64) throws {
        guard seen.insert(host.host).inserted else { return }
        if host.cert == .valid {
            pending.append(host.host)
            if pending.count == Self.hostsPerCertificate { try flush() }
            return
        }
        // .none has no certificate: such a host is served by a scenario address, not by SNI.
        guard let pem = try factory.chainPEM(host: host.host, kind: host.cert, serial: serial) else { return }
        let path = "\(Self.directory)/\(host.host).pem"
        try FileSink.write(Array(factory.mailChainPEM(certificatePEM: pem).utf8), to: "\(root)/\(path)")
        singles += 1
        entry(host.host, path)
    }

    /// Writes the last, partly filled group and closes the SNI source.
    func finish() throws {
        if !pending.isEmpty { try flush() }
        try sni.close()
    }

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
