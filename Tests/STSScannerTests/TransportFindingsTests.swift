import Testing
import STSCore
@testable import STSEngine
@testable import STSScanner

/// curl's view of a failed transfer or probe -> the engine's transport outcome
/// (`FetchFailureMapping`, `SMTPFailureMapping`) -> the scanner's finding (`TransportFindings`):
/// both steps together, as a scan applies them.
@Suite("transport failure mapping")
struct TransportFindingsTests {
    private func code(_ facts: FetchFailureFacts) -> FindingCode {
        TransportFindings.fetchCode(FetchFailureMapping.map(facts).failure)
    }

    private func smtpCode(_ facts: SMTPProbeFacts) -> FindingCode? {
        SMTPFailureMapping.map(facts).map { TransportFindings.smtpCode($0.failure) }
    }

    private func certificate(_ tls: MXTLSFacts, host: String) -> FindingCode? {
        TransportFindings.mxTLS(SMTPProbeResult(host: host, outcome: .handshakeCompleted, address: "192.0.2.25", tls: tls,
                                                elapsedMs: 1))?.code
    }

    @Test("connect failures by errno")
    func connect() {
        #expect(code(FetchFailureFacts(curlCode: 7, osErrno: 111)) == .connectRefused)
        #expect(code(FetchFailureFacts(curlCode: 7, osErrno: 110)) == .connectTimeout)
        #expect(code(FetchFailureFacts(curlCode: 7, osErrno: 113)) == .connectError) // EHOSTUNREACH
    }

    @Test("a timeout before the TCP connection is a connect timeout, after it a fetch timeout")
    func timeouts() {
        #expect(code(FetchFailureFacts(curlCode: 28, connected: false)) == .connectTimeout)
        #expect(code(FetchFailureFacts(curlCode: 28, connected: true, tlsCompleted: true)) == .fetchTimeout)
        #expect(code(FetchFailureFacts(curlCode: 28, connected: true, tlsCompleted: false)) == .fetchTimeout)
    }

    @Test("certificate verification results (OpenSSL X509_V_ERR_*)")
    func certificates() {
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 10)) == .certExpired)
        for untrusted in [2, 18, 19, 20, 21] {
            #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: untrusted)) == .certUntrusted)
        }
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 62)) == .certNameMismatch)
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 9)) == .certInvalid) // not yet valid
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 7)) == .certInvalid) // bad signature
        // curl's own host-name check leaves the verify result at 0 or at its "no verdict
        // yet" value 1; its message names the problem.
        let message = "SSL: no alternative certificate subject name matches target host name 'a.test'"
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 1, message: message)) == .certNameMismatch)
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 0, message: message)) == .certNameMismatch)
        #expect(code(FetchFailureFacts(curlCode: 60, verifyResult: 1, message: "SSL: public key does not match pinned public key")) == .certInvalid)
        // A verification failure reported as a handshake error still maps by the result.
        #expect(code(FetchFailureFacts(curlCode: 35, verifyResult: 10)) == .certExpired)
    }

    @Test("handshake failures")
    func handshake() {
        #expect(code(FetchFailureFacts(curlCode: 35)) == .tlsHandshakeFailed)
        #expect(code(FetchFailureFacts(curlCode: 35, verifyResult: 1, message: "wrong version number")) == .tlsHandshakeFailed)
        #expect(code(FetchFailureFacts(curlCode: 56, connected: true, tlsCompleted: false)) == .tlsHandshakeFailed)
        #expect(code(FetchFailureFacts(curlCode: 56, connected: true, tlsCompleted: true)) == .fetchError)
    }

    @Test("the body cap wins over the write error it causes")
    func bodyTooLarge() {
        #expect(code(FetchFailureFacts(curlCode: 23, connected: true, tlsCompleted: true, bodyTooLarge: true)) == .httpBodyTooLarge)
        #expect(code(FetchFailureFacts(curlCode: 23)) == .fetchError)
    }

    @Test("everything else is a fetch error, with curl's words in the detail")
    func other() {
        let (failure, detail) = FetchFailureMapping.map(FetchFailureFacts(curlCode: 52, message: "Empty reply from server"))
        #expect(TransportFindings.fetchCode(failure) == .fetchError)
        #expect(detail == "curl 52: Empty reply from server")
        #expect(FetchFailureMapping.map(FetchFailureFacts(curlCode: 60, verifyResult: 10, message: "x")).detail
                == "curl 60: x (X509 verify result 10)")
    }

    @Test("the detail says what happened, not how long this run took: equal in two scans of one world")
    func detailWithoutTimings() {
        let refused = FetchFailureFacts(curlCode: 7, osErrno: 111,
                                        message: "Failed to connect to 127.0.54.2 port 443 after 24 ms: Couldn't connect to server")
        #expect(FetchFailureMapping.map(refused).detail
                == "curl 7: Failed to connect to 127.0.54.2 port 443: Couldn't connect to server (errno 111)")
        let slow = FetchFailureFacts(curlCode: 28, connected: true,
                                     message: "Operation timed out after 20001 milliseconds with 1759 out of 8062 bytes received")
        #expect(FetchFailureMapping.map(slow).detail == "curl 28: Operation timed out with 1759 out of 8062 bytes received")
        var smtp = SMTPProbeFacts(curlCode: 7)
        smtp.message = "Failed to connect to 127.0.55.8 port 25 after 6 ms: Couldn't connect to server"
        #expect(SMTPFailureMapping.describe(smtp) == "curl 7: Failed to connect to 127.0.55.8 port 25: Couldn't connect to server")
    }

    @Test("every mapped code is a fetch-stage finding")
    func stage() {
        for curlCode in 0..<100 {
            for verify in [0, 10, 18, 62, 9] {
                let facts = FetchFailureFacts(curlCode: curlCode, verifyResult: verify, osErrno: 111, connected: true)
                #expect(code(facts).stage == .fetch)
            }
        }
    }

    @Test("STARTTLS probe failures and certificates")
    func smtp() {
        var facts = SMTPProbeFacts(curlCode: 7, osErrno: 111)
        #expect(smtpCode(facts) == .mxConnectRefused)
        facts = SMTPProbeFacts(curlCode: 28, connected: true)
        #expect(smtpCode(facts) == .mxGreetingTimeout)
        facts = SMTPProbeFacts(curlCode: 28, connected: false)
        #expect(smtpCode(facts) == .mxConnectTimeout)
        #expect(smtpCode(SMTPProbeFacts(curlCode: 0)) == nil)
        var tls = MXTLSFacts()
        tls.dnsNames = ["mx.example"]
        #expect(certificate(tls, host: "mx.example") == nil)
        #expect(certificate(tls, host: "other.example") == .mxCertNameMismatch)
        tls.verifyResult = 10
        #expect(certificate(tls, host: "mx.example") == .mxCertExpired)
        tls.verifyResult = 9
        #expect(certificate(tls, host: "mx.example") == .mxCertNotYetValid)
        tls.verifyResult = 19
        #expect(certificate(tls, host: "mx.example") == .mxCertUntrusted)
    }

    @Test("a certificate curl refused after the handshake is judged from its facts")
    func refusedCertificate() {
        var tls = MXTLSFacts()
        tls.dnsNames = ["mx.example"]
        func judged(_ tls: MXTLSFacts?) -> FindingCode? {
            TransportFindings.mxTLS(SMTPProbeResult(host: "mx.example", outcome: .failure(.certificateRefused, detail: "curl 60"),
                                                    address: "192.0.2.25", tls: tls, elapsedMs: 1))?.code
        }
        #expect(judged(tls) == .mxCertInvalid)
        #expect(judged(nil) == .mxCertInvalid)
        tls.verifyResult = 10
        #expect(judged(tls) == .mxCertExpired)
        #expect(TransportFindings.mxTLS(SMTPProbeResult(host: "mx.example", outcome: .handshakeCompleted,
                                                        address: "192.0.2.25", elapsedMs: 1))?.code == .mxProbeError)
    }

    @Test("every transport outcome is a finding of its stage")
    func stages() {
        let fetch: [FetchFailure] = [.connect(.refused), .connect(.timeout), .connect(.failed), .tlsHandshakeFailed,
                                     .certificate(.expired), .certificate(.notYetValid), .certificate(.untrusted),
                                     .certificate(.nameMismatch), .certificate(.invalid(verifyResult: 7)),
                                     .timeout, .bodyTooLarge, .other]
        for failure in fetch { #expect(TransportFindings.fetchCode(failure).stage == .fetch, "\(failure)") }
        let smtp: [SMTPProbeFailure] = [.connect(.refused), .connect(.timeout), .connect(.failed), .greetingTimeout, .replyTimeout,
                                        .startTLSNotOffered, .protocolError, .tlsHandshakeFailed, .certificateRefused, .other]
        for failure in smtp {
            // Stored as `mx_probes.outcome`, whose CHECK admits `ok` and `mx-...` codes only.
            let code = TransportFindings.smtpCode(failure)
            #expect(code.stage == .mxTLS && code.rawValue.hasPrefix("mx-"), "\(failure)")
        }
        var tls = MXTLSFacts()
        for verify in [0, 2, 9, 10, 18, 19, 62, 7] {
            tls.verifyResult = verify
            for host in ["mx.example", "other.example"] {
                tls.dnsNames = ["mx.example"]
                let code = TransportFindings.certificate(tls, host: host)?.code
                #expect(code.map { $0.stage == .mxTLS && $0.rawValue.hasPrefix("mx-") } ?? true, "\(verify) \(host)")
            }
        }
        #expect(Set(smtp.map(TransportFindings.smtpCode)).count == smtp.count, "two wire outcomes share a finding")
    }
}
