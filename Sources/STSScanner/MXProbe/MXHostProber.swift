import Crypto
import Foundation
import STSCore
import STSEngine
import STSStore

/// Probes one MX host the way a sending MTA reaches it (rfc8461-8460-rules.md §5): an IP
/// literal is refused outright; otherwise A and AAAA, then STARTTLS at each address in
/// turn (`AddressOrder`: IPv4 in answer order, then routable IPv6; at most three) until one
/// gives an SMTP session (RFC 5321 §5.1). That session's outcome is the host's verdict;
/// every address tried is kept (`MXProbeRecord.attempts`).
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
        let ipv4 = a.status == .ok ? a.addresses : []
        let ipv6 = aaaa.status == .ok ? aaaa.addresses : []
        let candidates = a.status == .ok || a.status == .nodata
            ? AddressOrder.candidates(ipv4: ipv4, ipv6: ipv6, hasRoute: engine.hasRoute) : []
        guard !candidates.isEmpty else {
            let (code, detail) = MXHostProber.noAddress(host, a: a, ipv6: ipv6)
            return verdict(code, detail, MXProbeRecord(host: host, ipv6Address: ipv6.first, outcome: .failure(code),
                                                       detail: detail, elapsedMs: max(0, a.elapsedMs), probedAt: started))
        }
        var attempts: [AddressAttempt] = []
        var elapsed = 0
        var result: SMTPProbeResult!
        for address in candidates {
            result = await engine.probeSMTP(host: host, address: address, port: settings.port, ehloName: settings.ehloName)
            log.addSMTP(host: host, result)
            elapsed += max(0, result.elapsedMs)
            attempts.append(AddressAttempt(address: address, outcome: TransportFindings.mxTLS(result)?.code.rawValue ?? "ok"))
            if !AddressOrder.movesOn(result.outcome) { break }
        }
        var record = MXProbeRecord(host: host, address: result.address, ipv6Address: ipv6.first, outcome: .ok,
                                   greeting: result.greeting, elapsedMs: elapsed, probedAt: started, attempts: attempts)
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
            // Earlier addresses that gave no session are part of what the sender met.
            let tried = attempts.count > 1 ? "; addresses tried: \(AddressAttempt.text(attempts)!)" : ""
            record.outcome = .failure(code)
            record.detail = detail + tried
            return verdict(code, detail + tried, record)
        }
    }

    /// Why a host has no address to try: it does not exist, its A lookup failed, it has only
    /// IPv6 addresses this machine cannot reach (`mx-host-ipv6-only`), or none at all.
    static func noAddress(_ host: String, a: DNSAnswer, ipv6: [String]) -> (FindingCode, String) {
        switch a.status {
        case .nxdomain:
            return (.mxHostNXDomain, "\(host) does not exist")
        case .ok, .nodata:
            if ipv6.isEmpty { return (.mxHostNoAddress, "no A or AAAA record") }
            return (.mxHostIPv6Only, "AAAA \(ipv6.prefix(AddressAttempt.maxAddresses).joined(separator: ", ")) only; "
                                     + "this machine has no IPv6 route to it")
        default:
            return (.mxHostDNSError, "A lookup: \(DNSFindings.mxStatus(a.status).rawValue)")
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
