/// What curl reported about a failed transfer, gathered by the loop so that the
/// classification below is a pure function (and unit-tested without a network).
struct FetchFailureFacts: Sendable, Equatable {
    /// The transfer's `CURLcode`.
    var curlCode: Int
    /// `CURLINFO_SSL_VERIFYRESULT`: an OpenSSL `X509_V_ERR_*` value, 0 when verification
    /// passed or did not run.
    var verifyResult: Int = 0
    /// `CURLINFO_OS_ERRNO`: the errno of the last failed socket call.
    var osErrno: Int32 = 0
    /// The TCP connection was established (`CURLINFO_CONNECT_TIME_T` > 0).
    var connected: Bool = false
    /// The TLS handshake completed (`CURLINFO_APPCONNECT_TIME_T` > 0).
    var tlsCompleted: Bool = false
    /// Our write callback aborted because the body passed the cap.
    var bodyTooLarge: Bool = false
    /// curl's error buffer.
    var message: String = ""
}

/// The one mapping from curl's view of a failed transfer to what happened on the wire
/// (`FetchFailure`); the scanner turns that into a finding (`TransportFindings`).
enum FetchFailureMapping {
    // CURLcode values used here (curl/curl.h, stable ABI).
    static let couldntConnect = 7
    static let writeError = 23
    static let operationTimedOut = 28
    static let sslConnectError = 35
    static let gotNothing = 52
    static let sendError = 55
    static let recvError = 56
    static let sslCertProblem = 58
    static let sslCipher = 59
    static let peerFailedVerification = 60
    static let sslCACertBadFile = 77
    static let sslShutdownFailed = 80
    static let sslCRLBadFile = 82
    static let sslIssuerError = 83
    static let sslInvalidCertStatus = 91

    /// Codes of transfers that failed in or after a TLS handshake (so the verify result
    /// curl reports is this transfer's own).
    static let handshakeCodes: Set<Int> = [sslConnectError, sslCertProblem, sslCipher, peerFailedVerification,
                                           sslCACertBadFile, sslShutdownFailed, sslCRLBadFile, sslIssuerError,
                                           sslInvalidCertStatus]

    static func map(_ facts: FetchFailureFacts) -> (failure: FetchFailure, detail: String) {
        let detail = describe(facts)
        // curl only says "failure writing output" when our write callback stopped it.
        if facts.bodyTooLarge { return (.bodyTooLarge, "body exceeds the 64 KiB cap (transfer stopped)") }
        switch facts.curlCode {
        case couldntConnect:
            return (.connect(ConnectFailure(osErrno: facts.osErrno)), detail)
        case operationTimedOut:
            return (facts.connected ? .timeout : .connect(.timeout), detail)
        case peerFailedVerification, sslConnectError, sslIssuerError, sslInvalidCertStatus:
            // curl sets the verify result to 1 (`!X509_V_OK`) when a TLS connect starts and
            // stores OpenSSL's verdict only once it has one: 0 and 1 mean "no verdict".
            if facts.verifyResult > 1, let problem = CertificateProblem(verifyResult: facts.verifyResult) {
                return (.certificate(problem), detail)
            }
            if facts.curlCode == peerFailedVerification {
                // curl's own host-name check, after a handshake OpenSSL accepted.
                let problem: CertificateProblem = facts.message.contains("target host name")
                    ? .nameMismatch : .invalid(verifyResult: facts.verifyResult)
                return (.certificate(problem), detail)
            }
            return (.tlsHandshakeFailed, detail)
        case sslCipher, sslShutdownFailed:
            return (.tlsHandshakeFailed, detail)
        case sendError, recvError:
            // A reset in the middle of the handshake is a handshake failure.
            return (facts.connected && !facts.tlsCompleted ? .tlsHandshakeFailed : .other, detail)
        default:
            return (.other, detail)
        }
    }

    static func describe(_ facts: FetchFailureFacts) -> String {
        var text = "curl \(facts.curlCode)"
        if !facts.message.isEmpty { text += ": " + CurlMessage.withoutTimings(facts.message) }
        if facts.verifyResult > 1 { text += " (X509 verify result \(facts.verifyResult))" }
        if facts.osErrno != 0 && facts.curlCode == couldntConnect { text += " (errno \(facts.osErrno))" }
        return text
    }
}
