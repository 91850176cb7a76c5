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

/// The one mapping from a STARTTLS probe's facts to what happened on the wire
/// (`SMTPProbeFailure`); the scanner turns that into an `mx-tls` finding (`TransportFindings`).
enum SMTPFailureMapping {
    // CURLcode values (curl/curl.h, stable ABI).
    static let weirdServerReply = 8
    /// A 4xx/5xx reply to EHLO when STARTTLS is required (curl does not fall back to HELO).
    static let remoteAccessDenied = 9
    static let useSSLFailed = 64

    /// The failure before or during TLS, or nil when the connect phase completed.
    static func map(_ facts: SMTPProbeFacts) -> (failure: SMTPProbeFailure, detail: String)? {
        let dialogue = facts.dialogue
        if facts.curlCode == 0 { return nil }
        if dialogue.overflowed {
            return (.protocolError, "reply longer than \(SMTPDialogue.maxReplyBytes) bytes after \(dialogue.replyLines) lines")
        }
        let detail = describe(facts)
        switch facts.curlCode {
        case FetchFailureMapping.couldntConnect:
            return (.connect(ConnectFailure(osErrno: facts.osErrno)), detail)
        case FetchFailureMapping.operationTimedOut:
            if !facts.connected { return (.connect(.timeout), detail) }
            // Endless "220-" continuation lines are a greeting that never ended.
            if !dialogue.greetingEnded { return (.greetingTimeout, detail) }
            return (facts.tlsCompleted || dialogue.lastCommand == "STARTTLS" ? .tlsHandshakeFailed : .replyTimeout, detail)
        case useSSLFailed:
            // curl asked for STARTTLS and could not have it: not offered, or refused.
            return (dialogue.ehloAnswered && !dialogue.startTLSOffered ? .startTLSNotOffered : .protocolError, detail)
        case weirdServerReply, remoteAccessDenied, FetchFailureMapping.gotNothing:
            return (.protocolError, detail)
        case FetchFailureMapping.sslConnectError, FetchFailureMapping.sslCipher, FetchFailureMapping.sslShutdownFailed,
             FetchFailureMapping.peerFailedVerification, FetchFailureMapping.sslIssuerError:
            return (.tlsHandshakeFailed, detail)
        case FetchFailureMapping.sendError, FetchFailureMapping.recvError:
            if !facts.connected { return (.connect(.failed), detail) }
            if dialogue.lastCommand == "STARTTLS" && !facts.tlsCompleted { return (.tlsHandshakeFailed, detail) }
            return (.protocolError, detail)
        default:
            return (.other, detail)
        }
    }

    static func describe(_ facts: SMTPProbeFacts) -> String {
        var text = "curl \(facts.curlCode)"
        if !facts.message.isEmpty { text += ": " + CurlMessage.withoutTimings(facts.message) }
        if let reply = facts.dialogue.lastReply, facts.curlCode != FetchFailureMapping.couldntConnect {
            text += "; last reply: " + reply
        }
        if facts.osErrno != 0 && facts.curlCode == FetchFailureMapping.couldntConnect { text += " (errno \(facts.osErrno))" }
        return text
    }
}
