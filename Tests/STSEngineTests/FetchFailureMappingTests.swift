import Testing
import STSCore
@testable import STSEngine

@Suite("fetch failure mapping")
struct FetchFailureMappingTests {
    private func code(_ facts: FetchFailureFacts) -> FindingCode { FetchFailureMapping.map(facts).code }

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
        let (code, detail) = FetchFailureMapping.map(FetchFailureFacts(curlCode: 52, message: "Empty reply from server"))
        #expect(code == .fetchError)
        #expect(detail == "curl 52: Empty reply from server")
        #expect(FetchFailureMapping.map(FetchFailureFacts(curlCode: 60, verifyResult: 10, message: "x")).detail
                == "curl 60: x (X509 verify result 10)")
    }

    @Test("every mapped code is a fetch-stage finding")
    func stage() {
        for curlCode in 0..<100 {
            for verify in [0, 10, 18, 62, 9] {
                let facts = FetchFailureFacts(curlCode: curlCode, verifyResult: verify, osErrno: 111, connected: true)
                #expect(FetchFailureMapping.map(facts).code.stage == .fetch)
            }
        }
    }
}
