#if canImport(Glibc)
import Glibc
#endif
import CCurl
import STSCore

/// The SMTP side of the loop: STARTTLS probes of MX hosts through curl (`smtp://` with
/// `CURLOPT_CONNECT_ONLY` stops after greeting, EHLO, STARTTLS and the TLS handshake), on a
/// multi handle of its own so mail servers' politeness and timeouts never mix with policy
/// fetches. Admission: at most `maxSMTPProbes` at once and `mxPerIP` per MX address (mail
/// servers block aggressive scanners); the rest wait in per-address FIFOs. Loop thread only.
///
/// Certificates are verified the way senders do, but without letting curl abort the
/// handshake: OpenSSL verifies the chain and dates against the trust store (its result is
/// read afterwards into `MXTLSFacts`), and the scanner judges chain verdict and name (RFC 6125,
/// STSCore). So every TLS outcome keeps the certificate's facts (subject, names, issuer,
/// expiry, fingerprint). The driver reports what happened on the wire (`SMTPProbeOutcome`);
/// which `mx-tls` finding that is, is the scanner's decision (`TransportFindings`).
final class SMTPDriver {
    unowned let loop: EventLoop
    private let curl: CurlMultiSocket
    private var multi: UnsafeMutableRawPointer { curl.handle }
    private let configuration: EngineConfiguration
    /// Per-address politeness, the same rule as policy fetches (`AdmissionMachine`): at most
    /// `mxPerIP` sessions the server is serving at its usual pace; one that has not finished
    /// within its address's stall time (a tarpit's greeting, a slow handshake) stops counting
    /// and lets the next probe start, up to `mxMaxOpen` sessions open in all. So a tarpit
    /// address costs each of its probes its own timeout, not one timeout after another.
    private var admission: AdmissionMachine<SMTPProbe>
    /// Probes inside the multi handle, stalled ones included.
    private var running: [ObjectIdentifier: SMTPProbe] = [:]
    /// Stalled probes kept running at once; beyond it slow probes keep their slots.
    static let maxStalledProbes = 256

    init(loop: EventLoop) throws {
        self.loop = loop
        configuration = loop.configuration
        let address = AddressSlots<SMTPProbe>.Limits(
            perIP: configuration.mxPerIP, maxOpen: max(configuration.mxPerIP, configuration.mxMaxOpen),
            stallCeilingNs: UInt64(max(1, configuration.stallAfterMs)) * 1_000_000)
        admission = AdmissionMachine(limits: .init(address: address, maxRunning: configuration.maxSMTPProbes,
                                                   maxStalled: Self.maxStalledProbes, remembersAddresses: false),
                                     isLive: { !$0.box.isFinished })
        curl = try CurlMultiSocket(epfd: loop.epfd, tag: .smtp)
        // Finished sessions are ended by sayGoodbye; keep none of them cached.
        stscurl_multi_setopt_long(curl.handle, CURLMOPT_MAXCONNECTS, 1)
    }

    // MARK: Loop events

    /// When curl's timer for probes is due (nil: no timer).
    var deadline: UInt64? { curl.deadlineNs }

    func runTimeoutIfDue(nowNs: UInt64) {
        if curl.runTimeoutIfDue(nowNs: nowNs) { collect() }
    }

    func ready(fd: Int32, events: UInt32) {
        curl.ready(fd: fd, events: events)
        collect()
    }

    func submit(_ box: RequestBox<SMTPRequest>, host: String, address: String, port: Int, ehloName: String) {
        loop.assertOnLoopThread()
        guard HTTPDriver.isPlainHost(host), HTTPDriver.isPlainHost(ehloName), HTTPDriver.isAddress(address),
              (1...65535).contains(port) else {
            loop.complete(box, SMTPProbeResult(host: host, outcome: .failure(.other, detail: "invalid host, EHLO name, address or port"),
                                               address: address, elapsedMs: 0))
            return
        }
        let probe = SMTPProbe(box: box, host: host, address: address, port: port, ehloName: ehloName)
        admission.submit(probe, address: address, nowNs: Epoll.nowNs())
    }

    /// Starts the probes the admission rule lets start now.
    func pump() {
        loop.assertOnLoopThread()
        carryOut(admission.pump(nowNs: Epoll.nowNs()))
    }

    /// Does what the admission machine decided.
    private func carryOut(_ actions: [AdmissionMachine<SMTPProbe>.Action]) {
        for action in actions {
            switch action {
            case .start(let probe): start(probe)
            case .drop: loop.release()
            case .stall(let probe):
                probe.stalled = true
                loop.stats.smtpProbesStalled += 1
            }
        }
    }

    private func start(_ probe: SMTPProbe) {
        guard let handle = curl_easy_init() else {
            carryOut(admission.ended(address: probe.address, wasStalled: false, durationNs: nil, nowNs: Epoll.nowNs()))
            finish(probe, .failure(.other, detail: "curl_easy_init failed"), tls: nil)
            return
        }
        probe.easy = handle
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        probe.errorBuffer = errorBuffer
        let literal = probe.address.contains(":") ? "[\(probe.address)]" : probe.address
        probe.connectTo = curl_slist_append(nil, "\(probe.host):\(probe.port):\(literal):\(probe.port)")
        let context = Unmanaged.passUnretained(probe).toOpaque()
        let timeout = configuration.smtpTimeoutMs
        stscurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        stscurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        stscurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp")
        // The URL's path is the EHLO argument.
        stscurl_easy_setopt_string(handle, CURLOPT_URL, "smtp://\(probe.host):\(probe.port)/\(probe.ehloName)")
        stscurl_easy_setopt_slist(handle, CURLOPT_CONNECT_TO, probe.connectTo)
        stscurl_easy_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        // OpenSSL verifies chain and dates against the trust store but finishes the handshake
        // whatever its verdict (read afterwards), and the name is matched by RFC 6125 in
        // STSCore: so every certificate's facts are recorded, failing ones included.
        stscurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        stscurl_easy_keep_handshake_on_verify_errors(handle)
        if let caFile = configuration.caFile { stscurl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        stscurl_easy_setopt_string(handle, CURLOPT_CAPATH, nil)
        stscurl_easy_setopt_long(handle, CURLOPT_CA_CACHE_TIMEOUT, 86400)
        stscurl_easy_setopt_long(handle, CURLOPT_CERTINFO, 1)
        // Every wait (TCP, greeting, each reply) is bounded by the per-step timeout, which the
        // loop's tick enforces (`expireStalled`: in a multi handle curl 7.88 checks its
        // response timeout only when data arrives, so a silent greeting would wait for the
        // connect timeout); the connect phase, which for SMTP is the whole probe, by three.
        stscurl_easy_setopt_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, (timeout + 999) / 1000))
        stscurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 3 * timeout)
        stscurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, 3 * timeout)
        // A new connection per probe; the finished one stays open for our QUIT (sayGoodbye),
        // so reuse is not forbidden (forbidding it closes the session without QUIT).
        stscurl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
        stscurl_easy_setopt_long(handle, CURLOPT_DNS_CACHE_TIMEOUT, 0)
        // The debug callback sees each reply line and curl's TLS summary; it keeps counts and
        // a few lines only (SMTPDialogue), and aborts nothing: the size cap is checked there
        // and the probe ends at the next event.
        stscurl_easy_setopt_long(handle, CURLOPT_VERBOSE, 1)
        stscurl_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
        stscurl_easy_setopt_debug_function(handle) { _, type, data, size, user in
            let probe = Unmanaged<SMTPProbe>.fromOpaque(user!).takeUnretainedValue()
            guard let data else { return 0 }
            data.withMemoryRebound(to: UInt8.self, capacity: size) { bytes in
                let buffer = UnsafeBufferPointer(start: bytes, count: size)
                probe.progressNs = Epoll.nowNs()
                switch type {
                case CURLINFO_HEADER_IN: probe.dialogue.received(buffer)
                case CURLINFO_HEADER_OUT: probe.dialogue.sent(buffer)
                case CURLINFO_TEXT: probe.dialogue.note(buffer)
                default: break
                }
            }
            return 0
        }
        stscurl_easy_setopt_pointer(handle, CURLOPT_PRIVATE, context)
        probe.startedNs = Epoll.nowNs()
        probe.progressNs = probe.startedNs
        probe.box.smtpProbe = probe
        running[ObjectIdentifier(probe)] = probe
        loop.stats.smtpProbesStarted += 1
        let status = curl_multi_add_handle(multi, handle)
        if status != CURLM_OK {
            retire(probe, .failure(.other, detail: "curl_multi_add_handle: \(status.rawValue)"), tls: nil)
        }
    }

    /// Called on the loop's tick: ends probes whose dialogue has not moved for the per-step
    /// timeout (a tarpit's greeting, a stalled reply) as curl's own timeout would, and lets
    /// probes past their address's stall time stop holding a per-address slot.
    func tick(nowNs: UInt64) {
        loop.assertOnLoopThread()
        guard !running.isEmpty else { return }
        let limit = UInt64(configuration.smtpTimeoutMs) * 1_000_000
        for probe in running.values.filter({ nowNs > $0.progressNs + limit }) {
            guard let handle = probe.easy else { continue }
            conclude(probe, handle: handle, code: FetchFailureMapping.operationTimedOut,
                     message: "no progress for \(configuration.smtpTimeoutMs) ms")
        }
        let candidates = running.values.lazy.map {
            AdmissionMachine<SMTPProbe>.RunningItem(item: $0, address: $0.address, startedNs: $0.startedNs, stalled: $0.stalled)
        }
        carryOut(admission.tick(nowNs: nowNs, running: candidates))
    }

    /// Finished probes, and those whose server sent more than the reply cap.
    private func collect() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard stscurl_msg_is_done(message) != 0, let handle = stscurl_msg_easy(message) else { continue }
            var context: UnsafeMutableRawPointer?
            stscurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let probe = Unmanaged<SMTPProbe>.fromOpaque(context).takeUnretainedValue()
            conclude(probe, handle: handle, code: Int(stscurl_msg_result(message).rawValue))
        }
        for probe in running.values.filter(\.dialogue.overflowed) {
            guard let handle = probe.easy else { continue }
            conclude(probe, handle: handle, code: FetchFailureMapping.writeError)
        }
    }

    private func conclude(_ probe: SMTPProbe, handle: UnsafeMutableRawPointer, code: Int, message: String? = nil) {
        var facts = SMTPProbeFacts(curlCode: code, dialogue: probe.dialogue)
        var connect: curl_off_t = 0, appConnect: curl_off_t = 0
        stscurl_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connect)
        stscurl_easy_getinfo_off_t(handle, CURLINFO_APPCONNECT_TIME_T, &appConnect)
        facts.connected = connect > 0 || probe.dialogue.greeting != nil
        facts.tlsCompleted = appConnect > 0
        var osErrno = 0
        stscurl_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
        facts.osErrno = Int32(truncatingIfNeeded: osErrno)
        if let message {
            facts.message = message
        } else if let buffer = probe.errorBuffer {
            facts.message = String(cString: buffer)
        }
        // A certificate chain means the handshake completed (a verification failure ends the
        // transfer only after it, with curl 60 and OpenSSL's verdict).
        var tls: MXTLSFacts?
        let chain = CertificateInfo.chain(handle)
        if facts.tlsCompleted || !chain.isEmpty {
            var gathered = MXTLSFacts()
            gathered.version = probe.dialogue.tlsVersion
            gathered.cipher = probe.dialogue.tlsCipher
            var verify = 0
            stscurl_easy_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify)
            gathered.verifyResult = verify
            CertificateInfo.facts(chain: chain, into: &gathered)
            tls = gathered
            facts.tlsCompleted = true
            loop.stats.smtpHandshakes += 1
        }
        // The certificate is judged by the scanner, from `tls`: a completed handshake is
        // reported as such even when OpenSSL did not verify the chain.
        let outcome: SMTPProbeOutcome
        if tls != nil, code == 0 {
            outcome = .handshakeCompleted
        } else if tls != nil, code == FetchFailureMapping.peerFailedVerification {
            outcome = .failure(.certificateRefused, detail: SMTPFailureMapping.describe(facts))
        } else if let (failure, detail) = SMTPFailureMapping.map(facts) {
            outcome = .failure(failure, detail: detail)
        } else {
            outcome = .failure(.other, detail: "STARTTLS completed without a TLS session")
        }
        retire(probe, outcome, tls: tls, sessionOpen: code == 0)
    }

    /// After a completed connect phase the session is still open: send QUIT ourselves
    /// (without waiting for its reply), then end the socket, so that curl's own disconnect
    /// (which would block the loop on QUIT's reply) fails at once.
    private func sayGoodbye(_ handle: UnsafeMutableRawPointer) {
        var socket: curl_socket_t = -1
        guard stscurl_easy_getinfo_socket(handle, &socket) == CURLE_OK, socket >= 0 else { return }
        var sent = 0
        _ = "QUIT\r\n".withCString { curl_easy_send(handle, $0, 6, &sent) }
        _ = stsscan_shutdown_socket(socket)
    }

    /// Takes a probe out of the multi handle (saying goodbye when its session is still open),
    /// frees its curl state, passes its address slot on and resumes its caller.
    private func retire(_ probe: SMTPProbe, _ outcome: SMTPProbeOutcome, tls: MXTLSFacts?, sessionOpen: Bool = false) {
        guard let handle = probe.easy else { return }
        if sessionOpen { sayGoodbye(handle) }
        curl_multi_remove_handle(multi, handle)
        curl_easy_cleanup(handle)
        curl_slist_free_all(probe.connectTo)
        probe.connectTo = nil
        probe.errorBuffer?.deallocate()
        probe.errorBuffer = nil
        probe.easy = nil
        probe.box.smtpProbe = nil
        running[ObjectIdentifier(probe)] = nil
        let now = Epoll.nowNs()
        carryOut(admission.ended(address: probe.address, wasStalled: probe.stalled,
                                 durationNs: now - probe.startedNs, nowNs: now))
        finish(probe, outcome, tls: tls)
    }

    private func finish(_ probe: SMTPProbe, _ outcome: SMTPProbeOutcome, tls: MXTLSFacts?) {
        loop.stats.smtpProbesCompleted += 1
        let elapsed = probe.startedNs == 0 ? 0 : Int((Epoll.nowNs() - probe.startedNs) / 1_000_000)
        loop.complete(probe.box, SMTPProbeResult(host: probe.host, outcome: outcome, address: probe.address, tls: tls,
                                                 greeting: probe.dialogue.greeting, elapsedMs: elapsed))
    }

    /// Cancellation: a running probe is stopped now; waiting ones are dropped when reached.
    func abort(_ box: RequestBox<SMTPRequest>) {
        guard let probe = box.smtpProbe, probe.easy != nil else { return }
        retire(probe, .failure(.other, detail: "cancelled"), tls: nil)
    }

    func shutdown() {
        let failure = SMTPProbeOutcome.failure(.other, detail: "engine shut down")
        for probe in Array(running.values) { retire(probe, failure, tls: nil) }
        for probe in admission.removeWaiting() { finish(probe, failure, tls: nil) }
        curl.cleanup()
    }
}
