import STSCore

/// What curl and the dialogue showed about a finished STARTTLS probe, gathered by the loop
/// so that the classification below is a pure function (unit-tested without a network).
struct SMTPProbeFacts: Sendable, Equatable {
    /// The transfer's `CURLcode` (0 when the connect phase, STARTTLS included, completed).
    var curlCode: Int
    /// `CURLINFO_OS_ERRNO`.
    var osErrno: Int32 = 0
    /// The TCP connection was established.
    var connected = false
    /// The TLS handshake completed.
    var tlsCompleted = false
    var dialogue = SMTPDialogue()
    /// curl's error buffer.
    var message = ""
}

/// The one mapping from a STARTTLS probe's facts to an `mx-tls` finding code.
enum SMTPFailureMapping {
    // CURLcode values (curl/curl.h, stable ABI).
    static let weirdServerReply = 8
    static let useSSLFailed = 64

    /// The failure before or during TLS, or nil when the connect phase completed.
    static func map(_ facts: SMTPProbeFacts) -> (code: FindingCode, detail: String)? {
        let dialogue = facts.dialogue
        if facts.curlCode == 0 { return nil }
        if dialogue.overflowed {
            return (.mxSMTPError, "reply longer than \(SMTPDialogue.maxReplyBytes) bytes after \(dialogue.replyLines) lines")
        }
        let detail = describe(facts)
        switch facts.curlCode {
        case FetchFailureMapping.couldntConnect:
            switch facts.osErrno {
            case FetchFailureMapping.econnrefused: return (.mxConnectRefused, detail)
            case FetchFailureMapping.etimedout: return (.mxConnectTimeout, detail)
            default: return (.mxConnectError, detail)
            }
        case FetchFailureMapping.operationTimedOut:
            if !facts.connected { return (.mxConnectTimeout, detail) }
            if dialogue.greeting == nil { return (.mxGreetingTimeout, detail) }
            return (facts.tlsCompleted || dialogue.lastCommand == "STARTTLS" ? .mxTLSHandshakeFailed : .mxSMTPTimeout, detail)
        case useSSLFailed:
            // curl asked for STARTTLS and could not have it: not offered, or refused.
            return (dialogue.ehloAnswered && !dialogue.startTLSOffered ? .mxStartTLSMissing : .mxSMTPError, detail)
        case weirdServerReply, FetchFailureMapping.gotNothing:
            return (.mxSMTPError, detail)
        case FetchFailureMapping.sslConnectError, FetchFailureMapping.sslCipher, FetchFailureMapping.sslShutdownFailed,
             FetchFailureMapping.peerFailedVerification, FetchFailureMapping.sslIssuerError:
            return (.mxTLSHandshakeFailed, detail)
        case FetchFailureMapping.sendError, FetchFailureMapping.recvError:
            if !facts.connected { return (.mxConnectError, detail) }
            if dialogue.lastCommand == "STARTTLS" && !facts.tlsCompleted { return (.mxTLSHandshakeFailed, detail) }
            return (.mxSMTPError, detail)
        default:
            return (.mxProbeError, detail)
        }
    }

    /// The certificate verdict after a completed handshake: chain and dates from OpenSSL's
    /// verification, the name by RFC 6125 against the MX host name. nil: it validated.
    static func certificate(_ tls: MXTLSFacts, host: String) -> (code: FindingCode, detail: String)? {
        switch tls.verifyResult {
        case 0:
            break
        case 10:
            return (.mxCertExpired, "not after \(tls.notAfter ?? "?") (X509 verify result 10)")
        case 9:
            return (.mxCertNotYetValid, "X509 verify result 9")
        default:
            let code = FetchFailureMapping.certificateCode(tls.verifyResult)
            let mapped: FindingCode = code == .certUntrusted ? .mxCertUntrusted : .mxCertInvalid
            return (mapped, "issuer \(tls.issuer ?? "?") (X509 verify result \(tls.verifyResult))")
        }
        let commonName = tls.subject.flatMap(CertificateNameMatch.commonName(ofSubject:))
        if !CertificateNameMatch.matches(host: host, dnsNames: tls.dnsNames, commonName: commonName) {
            let names = tls.dnsNames.isEmpty ? "CN \(commonName ?? "none")" : tls.dnsNames.prefix(5).joined(separator: ", ")
            return (.mxCertNameMismatch, "certificate names \(names)")
        }
        return nil
    }

    static func describe(_ facts: SMTPProbeFacts) -> String {
        var text = "curl \(facts.curlCode)"
        if !facts.message.isEmpty { text += ": " + facts.message }
        if let reply = facts.dialogue.lastReply, facts.curlCode != FetchFailureMapping.couldntConnect {
            text += "; last reply: " + reply
        }
        if facts.osErrno != 0 && facts.curlCode == FetchFailureMapping.couldntConnect { text += " (errno \(facts.osErrno))" }
        return text
    }
}
