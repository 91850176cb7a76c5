import STSCore
import STSEngine

/// The one place where what happened on the wire (the engine's closed transport outcomes)
/// becomes a finding, next to `DNSFindings` for lookups: policy fetches (`fetch` stage) and
/// MX STARTTLS probes (`mx-tls`, certificate judged here from the TLS facts).
enum TransportFindings {
    /// The fetch-stage finding for a fetch that got no HTTP response.
    static func fetch(_ failure: FetchFailure, detail: String) -> Finding {
        Finding(fetchCode(failure), detail)
    }

    static func fetchCode(_ failure: FetchFailure) -> FindingCode {
        switch failure {
        case .connect(let failure): connectCodes(failure).fetch
        case .tlsHandshakeFailed: .tlsHandshakeFailed
        case .certificate(.expired): .certExpired
        case .certificate(.untrusted): .certUntrusted
        case .certificate(.nameMismatch): .certNameMismatch
        case .certificate(.notYetValid), .certificate(.invalid): .certInvalid
        case .timeout: .fetchTimeout
        case .bodyTooLarge: .httpBodyTooLarge
        case .other: .fetchError
        }
    }

    /// The codes of a failed TCP connection: to a policy host (fetch stage), to an MX host (`mx-tls`).
    static func connectCodes(_ failure: ConnectFailure) -> (fetch: FindingCode, mx: FindingCode) {
        switch failure {
        case .refused: (.connectRefused, .mxConnectRefused)
        case .timeout: (.connectTimeout, .mxConnectTimeout)
        case .failed: (.connectError, .mxConnectError)
        }
    }

    /// The `mx-tls` finding a sender would meet first at the probed host, with its detail;
    /// nil when STARTTLS, the handshake and the certificate (chain, dates, name) all passed.
    static func mxTLS(_ result: SMTPProbeResult) -> (code: FindingCode, detail: String)? {
        let host = result.host
        switch result.outcome {
        case .handshakeCompleted:
            guard let tls = result.tls else { return (.mxProbeError, "STARTTLS completed without a TLS session") }
            return certificate(tls, host: host)
        case .failure(.certificateRefused, let detail):
            // curl refused a certificate whose chain and name pass our checks: still invalid.
            if let tls = result.tls, let verdict = certificate(tls, host: host) { return verdict }
            return (.mxCertInvalid, detail)
        case .failure(let failure, let detail):
            return (smtpCode(failure), detail)
        }
    }

    static func smtpCode(_ failure: SMTPProbeFailure) -> FindingCode {
        switch failure {
        case .connect(let failure): connectCodes(failure).mx
        case .greetingTimeout: .mxGreetingTimeout
        case .replyTimeout: .mxSMTPTimeout
        case .startTLSNotOffered: .mxStartTLSMissing
        case .protocolError: .mxSMTPError
        case .tlsHandshakeFailed: .mxTLSHandshakeFailed
        case .certificateRefused: .mxCertInvalid
        case .other: .mxProbeError
        }
    }

    /// The certificate verdict after a completed handshake: chain and dates from OpenSSL's
    /// verification, the name by RFC 6125 against the MX host name. nil: it validated.
    static func certificate(_ tls: MXTLSFacts, host: String) -> (code: FindingCode, detail: String)? {
        switch CertificateProblem(verifyResult: tls.verifyResult) {
        case nil:
            break
        case .expired:
            return (.mxCertExpired, "not after \(tls.notAfter ?? "?") (X509 verify result \(tls.verifyResult))")
        case .notYetValid:
            return (.mxCertNotYetValid, "X509 verify result \(tls.verifyResult)")
        case .untrusted:
            return (.mxCertUntrusted, "issuer \(tls.issuer ?? "?") (X509 verify result \(tls.verifyResult))")
        case .nameMismatch, .invalid:
            return (.mxCertInvalid, "issuer \(tls.issuer ?? "?") (X509 verify result \(tls.verifyResult))")
        }
        let commonName = tls.subject.flatMap(CertificateNameMatch.commonName(ofSubject:))
        if !CertificateNameMatch.matches(host: host, dnsNames: tls.dnsNames, commonName: commonName) {
            let names = tls.dnsNames.isEmpty ? "CN \(commonName ?? "none")" : tls.dnsNames.prefix(5).joined(separator: ", ")
            return (.mxCertNameMismatch, "certificate names \(names)")
        }
        return nil
    }
}
