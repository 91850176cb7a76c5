import Foundation

/// Policy hosts that present an ordinary valid certificate and serve their policy file
/// share multi-name certificates, `hostsPerCertificate` names each, as hosting providers
/// do. Each group becomes one nginx server block with a static certificate
/// (`certs/<group>.crt`, names in `hosts/<group>.conf`).
///
/// Why: the other hosts get a certificate file of their own, which nginx can only select
/// through `ssl_certificate $ssl_server_name`. nginx then reads and decodes the certificate
/// and the key on every handshake, and OpenSSL 3.0's decoders make that about 1.1 ms of
/// server CPU per handshake (measured: 1.84 ms per fetch against 0.75 ms with a static
/// certificate). The world shares the scanner's cores, so that cost of the simulation
/// would be counted against the scanner. The scanner checks a shared certificate exactly
/// as it checks a single-name one: the host must be one of its DNS names.
final class CertificateGroups {
    static let hostsPerCertificate = 64

    private let directory: String
    private let factory: CertificateFactory
    private var pending: [String] = []
    /// File stems of the groups written so far (`cert-group-000001`, ...), in order.
    private(set) var names: [String] = []

    init(directory: String, factory: CertificateFactory) {
        self.directory = directory
        self.factory = factory
    }

    /// Whether a host with this plan belongs in a group rather than in a file of its own.
    static func accepts(_ web: WebPlan) -> Bool { web.cert == .valid && web.serve == .file }

    func add(host: String) throws {
        pending.append(host)
        if pending.count == Self.hostsPerCertificate { try flush() }
    }

    /// Writes the last, partly filled group.
    func finish() throws {
        if !pending.isEmpty { try flush() }
    }

    private func flush() throws {
        let name = String(format: "cert-group-%06d", names.count + 1)
        let pem = try factory.groupPEM(hosts: pending, number: names.count + 1)
        try FileSink.write(Array(pem.utf8), to: "\(directory)/certs/\(name).crt")
        let serverNames = pending.map { "server_name \($0);\n" }.joined()
        try FileSink.write(Array(serverNames.utf8), to: "\(directory)/\(Self.hostsFile(name))")
        names.append(name)
        pending.removeAll(keepingCapacity: true)
    }

    static func hostsFile(_ name: String) -> String { "hosts/\(name).conf" }
}
