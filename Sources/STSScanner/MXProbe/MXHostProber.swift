import Crypto
import Foundation
import STSCore
import STSEngine
import STSStore

/// Probes one MX host the way a sending MTA reaches it (rfc8461-8460-rules.md §5): an IP
/// literal is refused outright; otherwise A and AAAA (AAAA recorded only), then STARTTLS on
/// the first IPv4 address through the engine.
struct MXHostProber: Sendable {
    let engine: any ProbeEngine
    let settings: MXProbeSettings

    /// The host's verdict and what the first domain asking for it stores (with the steps
    /// when `explain`).
    func probe(_ host: String, explain: Bool) async -> (MXHostVerdict, MXProbeOwnerData) {
        let started = Date()
        var log = StepLog(enabled: explain)
        func verdict(_ code: FindingCode?, _ detail: String, _ record: MXProbeRecord) -> (MXHostVerdict, MXProbeOwnerData) {
            (MXHostVerdict(failure: code, detail: detail), MXProbeOwnerData(record: record, steps: log.steps))
        }
        if MXHostProber.isAddressLiteral(host) {
            let detail = "MX target \(host) is an address"
            return verdict(.mxIPLiteral, detail, MXProbeRecord(host: host, outcome: .failure(.mxIPLiteral),
                                                               detail: detail, elapsedMs: 0, probedAt: started))
        }
        let answers = await engine.resolve([DNSLookup(host, .a), DNSLookup(host, .aaaa)])
        let (a, aaaa) = (answers[0], answers[1])
        log.add("A \(host)", a)
        log.add("AAAA \(host)", aaaa)
        let ipv6 = aaaa.status == .ok ? aaaa.addresses.first : nil
        guard a.status == .ok, let address = a.addresses.first else {
            let code: FindingCode
            let detail: String
            switch a.status {
            case .nxdomain: (code, detail) = (.mxHostNXDomain, "\(host) does not exist")
            case .ok, .nodata:
                code = .mxHostNoAddress
                detail = ipv6.map { "no A record (AAAA \($0) only; IPv6 is not probed)" } ?? "no A record"
            default:
                code = .mxHostDNSError
                detail = "A lookup: \(DNSFindings.mxStatus(a.status).rawValue)"
            }
            let elapsed = a.elapsedMs
            return verdict(code, detail, MXProbeRecord(host: host, ipv6Address: ipv6, outcome: .failure(code), detail: detail,
                                                       elapsedMs: max(0, elapsed), probedAt: started))
        }
        let result = await engine.probeSMTP(host: host, address: address, port: settings.port, ehloName: settings.ehloName)
        log.addSMTP(host: host, result)
        var record = MXProbeRecord(host: host, address: address, ipv6Address: ipv6, outcome: .ok,
                                   greeting: result.greeting, elapsedMs: max(0, result.elapsedMs), probedAt: started)
        if let tls = result.tls {
            record.tlsVersion = tls.version
            record.tlsCipher = tls.cipher
            record.certSubject = tls.subject
            record.certIssuer = tls.issuer
            record.certSANs = tls.dnsNames
            record.certNotAfter = tls.notAfter
            record.certSHA256 = tls.leafPEM.flatMap(MXHostProber.sha256OfPEM)
            record.chainLength = tls.chainLength
            record.verifyResult = tls.verifyResult
        }
        switch TransportFindings.mxTLS(result) {
        case nil:
            return verdict(nil, "", record)
        case let (code, detail)?:
            record.outcome = .failure(code)
            record.detail = detail
            return verdict(code, detail, record)
        }
    }

    /// `192.0.2.1`, `[192.0.2.1]`, `2001:db8::1`: not a host name a sender can look up.
    static func isAddressLiteral(_ host: String) -> Bool {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { return true }
        if text.hasSuffix(".") { text.removeLast() }
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// Lower-case hex SHA-256 of the DER inside a PEM certificate.
    static func sha256OfPEM(_ pem: String) -> String? {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body, options: .ignoreUnknownCharacters), !der.isEmpty else { return nil }
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }
}
