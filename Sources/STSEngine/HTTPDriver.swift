#if canImport(Glibc)
import Glibc
#endif
import CCurl
import STSCore

/// The curl side of the loop: a multi handle driven by `curl_multi_socket_action` on the
/// loop's epoll and a pool of easy handles, starting what `AdmissionMachine` admits
/// (`maxFetches`, stalled transfers apart, per-address politeness). Loop thread only.
final class HTTPDriver {
    unowned let loop: EventLoop
    private let curl: CurlMultiSocket
    private var multi: UnsafeMutableRawPointer { curl.handle }
    private let share: UnsafeMutableRawPointer
    private var pool: [EasyHandle] = []
    /// Which transfers may start: global and per-address limits, stalls, waiting order.
    private var admission: AdmissionMachine<Transfer>
    /// Transfers inside the multi handle (at most `maxFetches + maxStalledFetches`).
    private var active: [ObjectIdentifier: Transfer] = [:]
    private let configuration: EngineConfiguration

    init(loop: EventLoop) throws {
        self.loop = loop
        configuration = loop.configuration
        let address = AddressSlots<Transfer>.Limits(
            perIP: configuration.perIP, maxOpen: max(configuration.perIP, configuration.perIPMaxOpen),
            stallCeilingNs: UInt64(max(1, configuration.stallAfterMs)) * 1_000_000,
            connectionsPerSecond: configuration.perIPConnectionsPerSecond)
        admission = AdmissionMachine(limits: .init(address: address, maxRunning: configuration.maxFetches,
                                                   maxStalled: configuration.maxStalledFetches, remembersAddresses: true),
                                     isLive: { !$0.box.isFinished })
        curl = try CurlMultiSocket(epfd: loop.epfd, tag: .curl)
        guard let share = curl_share_init() else {
            curl.cleanup()
            throw EngineError.curl("curl_share_init")
        }
        self.share = share
        stscurl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
    }

    // MARK: Loop events

    /// When curl's timer for fetches is due (nil: no timer).
    var deadline: UInt64? { curl.deadlineNs }

    func runTimeoutIfDue(nowNs: UInt64) {
        if curl.runTimeoutIfDue(nowNs: nowNs) { collect() }
    }

    func ready(fd: Int32, events: UInt32) {
        curl.ready(fd: fd, events: events)
        collect()
    }

    func submit(_ box: RequestBox<FetchRequest>, host: String, address: String, port: Int) {
        loop.assertOnLoopThread()
        guard HTTPDriver.isPlainHost(host), HTTPDriver.isAddress(address), (1...65535).contains(port) else {
            loop.complete(box, FetchResult(outcome: .failure(.other, detail: "invalid host, address or port"),
                                           address: address, elapsedMs: 0))
            return
        }
        let transfer = Transfer(box: box, host: host, address: address, port: port, maxBody: configuration.maxBodyBytes)
        admission.submit(transfer, address: address, nowNs: Epoll.nowNs())
    }

    /// Starts the transfers the admission rule lets start now.
    func pump() {
        loop.assertOnLoopThread()
        carryOut(admission.pump(nowNs: Epoll.nowNs()))
    }

    /// Does what the admission machine decided.
    private func carryOut(_ actions: [AdmissionMachine<Transfer>.Action]) {
        for action in actions {
            switch action {
            case .start(let transfer): start(transfer)
            case .drop: loop.release()
            case .stall(let transfer):
                transfer.stalled = true
                loop.stats.fetchesStalled += 1
            }
        }
    }

    private func start(_ transfer: Transfer) {
        guard let easy = pool.popLast() ?? EasyHandle(configuration: configuration, share: share) else {
            carryOut(admission.ended(address: transfer.address, wasStalled: false, durationNs: nil, nowNs: Epoll.nowNs()))
            finish(transfer, .failure(.other, detail: "curl_easy_init failed"))
            return
        }
        let handle = easy.handle
        transfer.easy = easy
        let literal = transfer.address.contains(":") ? "[\(transfer.address)]" : transfer.address
        transfer.connectTo = curl_slist_append(nil, "\(transfer.host):\(transfer.port):\(literal):\(transfer.port)")
        let authority = transfer.port == 443 ? transfer.host : "\(transfer.host):\(transfer.port)"
        stscurl_easy_setopt_string(handle, CURLOPT_URL, "https://\(authority)/.well-known/mta-sts.txt")
        stscurl_easy_setopt_slist(handle, CURLOPT_CONNECT_TO, transfer.connectTo)
        active[ObjectIdentifier(transfer)] = transfer // keeps it alive while curl holds `context`
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        stscurl_easy_setopt_pointer(handle, CURLOPT_PRIVATE, context)
        stscurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        stscurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        easy.errorBuffer[0] = 0
        transfer.startedNs = Epoll.nowNs()
        transfer.box.transfer = transfer
        loop.stats.fetchesStarted += 1
        let status = curl_multi_add_handle(multi, handle)
        if status != CURLM_OK {
            retire(transfer, reply: .failure(.other, detail: "curl_multi_add_handle: \(status.rawValue)"))
        }
    }

    /// Reads finished transfers from the multi handle.
    private func collect() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard stscurl_msg_is_done(message) != 0, let handle = stscurl_msg_easy(message) else { continue }
            var context: UnsafeMutableRawPointer?
            stscurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            retire(transfer, reply: outcome(of: transfer, handle: handle, code: stscurl_msg_result(message)))
        }
    }

    private func outcome(of transfer: Transfer, handle: UnsafeMutableRawPointer, code: CURLcode) -> FetchOutcome {
        var appConnect: curl_off_t = 0
        stscurl_easy_getinfo_off_t(handle, CURLINFO_APPCONNECT_TIME_T, &appConnect)
        if appConnect > 0 { loop.stats.tlsHandshakes += 1 }
        // curl gathers the chain when the handshake has finished, before it judges the
        // certificate; a transfer that never got there would read the previous one's.
        if configuration.policyCertificates && (appConnect > 0 || code == CURLE_PEER_FAILED_VERIFICATION) {
            transfer.certificate = CertificateInfo.facts(chain: CertificateInfo.chain(handle))
        }
        if code == CURLE_OK {
            var status = 0
            stscurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            loop.stats.bodyBytes += transfer.body.count
            return .response(status: status, contentType: transfer.contentType, location: transfer.location,
                             body: transfer.body)
        }
        var facts = FetchFailureFacts(curlCode: Int(code.rawValue))
        var osErrno = 0
        stscurl_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
        facts.osErrno = Int32(truncatingIfNeeded: osErrno)
        var connect: curl_off_t = 0
        stscurl_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connect)
        facts.connected = connect > 0
        // curl resets the verify result only when a TLS handshake starts: on a reused easy
        // handle, a transfer that never got that far (refused, connect timeout) would report
        // the previous transfer's. Only a TLS failure or a connected transfer has its own.
        var verify = 0
        if facts.connected || FetchFailureMapping.handshakeCodes.contains(facts.curlCode) {
            stscurl_easy_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify)
        }
        facts.verifyResult = verify
        facts.tlsCompleted = appConnect > 0
        facts.bodyTooLarge = transfer.bodyTooLarge
        if let easy = transfer.easy { facts.message = String(cString: easy.errorBuffer) }
        if facts.message.isEmpty { facts.message = String(cString: curl_easy_strerror(code)) }
        let (failure, detail) = FetchFailureMapping.map(facts)
        return .failure(failure, detail: detail)
    }

    /// Takes a started transfer out of the multi handle, recycles its easy handle, frees
    /// its CONNECT_TO list, passes its address slot on and resumes its caller (no-op resume
    /// when it was cancelled).
    private func retire(_ transfer: Transfer, reply: FetchOutcome) {
        guard let easy = transfer.easy else { return }
        curl_multi_remove_handle(multi, easy.handle)
        stscurl_easy_setopt_slist(easy.handle, CURLOPT_CONNECT_TO, nil)
        stscurl_easy_setopt_pointer(easy.handle, CURLOPT_PRIVATE, nil)
        curl_slist_free_all(transfer.connectTo)
        transfer.connectTo = nil
        transfer.easy = nil
        transfer.box.transfer = nil
        if pool.count < configuration.maxFetches { pool.append(easy) }
        active[ObjectIdentifier(transfer)] = nil
        let now = Epoll.nowNs()
        carryOut(admission.ended(address: transfer.address, wasStalled: transfer.stalled,
                                 durationNs: now - transfer.startedNs, nowNs: now))
        finish(transfer, reply)
    }

    private func finish(_ transfer: Transfer, _ outcome: FetchOutcome) {
        loop.stats.fetchesCompleted += 1
        let elapsed = transfer.startedNs == 0 ? 0 : Int((Epoll.nowNs() - transfer.startedNs) / 1_000_000)
        loop.complete(transfer.box, FetchResult(outcome: outcome, address: transfer.address, elapsedMs: elapsed,
                                                certificate: transfer.certificate))
        transfer.body = []
        transfer.certificate = nil
    }

    /// The loop's tick: a running transfer past its address's stall time stops counting
    /// against the per-IP and global limits (up to `maxStalledFetches` at once), so a hung
    /// host holds no slot that others wait for; it keeps running until its own timeout.
    func tick(nowNs: UInt64) {
        loop.assertOnLoopThread()
        let running = active.values.lazy.filter { $0.easy != nil }.map {
            AdmissionMachine<Transfer>.RunningItem(item: $0, address: $0.address, startedNs: $0.startedNs, stalled: $0.stalled)
        }
        carryOut(admission.tick(nowNs: nowNs, running: running))
    }

    /// Cancellation of a request: a running transfer is aborted now, so its slots free up;
    /// waiting ones are dropped when reached.
    func abort(_ box: RequestBox<FetchRequest>) {
        guard let transfer = box.transfer, transfer.easy != nil else { return }
        retire(transfer, reply: .failure(.other, detail: "cancelled"))
    }

    /// Fails every waiting and running transfer, then frees curl's handles.
    func shutdown() {
        let failure = FetchOutcome.failure(.other, detail: "engine shut down")
        for transfer in active.values { retire(transfer, reply: failure) }
        for transfer in admission.removeWaiting() { finish(transfer, failure) }
        pool = []
        curl.cleanup()
        curl_share_cleanup(share)
    }
}

extension HTTPDriver {
    /// A host name curl can put in a URL and a CONNECT_TO entry unchanged: LDH labels (and
    /// `_`), no port, no user info, no path.
    static func isPlainHost(_ host: String) -> Bool {
        let bytes = Array(host.utf8)
        guard !bytes.isEmpty, bytes.count <= 253, bytes.first != UInt8(ascii: "."), bytes.first != UInt8(ascii: "-") else {
            return false
        }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }

    /// An IPv4 or IPv6 address literal (no brackets, no zone).
    static func isAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
