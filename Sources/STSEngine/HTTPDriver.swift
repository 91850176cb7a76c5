#if canImport(Glibc)
import Glibc
#endif
import CCurl
import STSCore

/// The curl side of the loop: a multi handle driven by `curl_multi_socket_action` on the
/// loop's epoll, admission control (`maxFetches`, stalled transfers apart), per-address
/// politeness (`AddressSlots`) and a pool of easy handles. Loop thread only.
final class HTTPDriver {
    unowned let loop: EventLoop
    private let curl: CurlMultiSocket
    private var multi: UnsafeMutableRawPointer { curl.handle }
    private let share: UnsafeMutableRawPointer
    private var pool: [EasyHandle] = []
    /// Transfers whose per-IP slot is reserved, waiting for a global slot.
    private var ready = RingBuffer<Transfer>()
    /// Per-address slots in use and FIFOs (`AddressSlots`: the politeness rule); an entry
    /// exists only while it has a fetch serving, stalled or waiting.
    private var addresses: [String: AddressSlots<Transfer>] = [:]
    private let limits: AddressSlots<Transfer>.Limits
    /// Typical fetch times and connection tokens of addresses whose entry went idle, so an
    /// address keeps its stall time and rate between bursts. Bounded: emptied when it
    /// reaches `addressMemory` entries.
    private var remembered: [String: (typicalNs: Double?, bucket: TokenBucket?)] = [:]
    private static let addressMemory = 65536
    /// Addresses with fetches waiting only for a connection token (retried every tick).
    private var heldByRate: Set<String> = []
    /// Stalled transfers still inside the multi handle (at most `maxStalledFetches`).
    private var stalledRunning = 0
    /// Transfers inside the multi handle that are not stalled (at most `maxFetches`).
    private var running = 0
    /// Transfers inside the multi handle (at most `maxFetches + maxStalledFetches`).
    private var active: [ObjectIdentifier: Transfer] = [:]
    private let configuration: EngineConfiguration

    init(loop: EventLoop) throws {
        self.loop = loop
        configuration = loop.configuration
        limits = .init(perIP: configuration.perIP, maxOpen: max(configuration.perIP, configuration.perIPMaxOpen),
                       stallCeilingNs: UInt64(max(1, configuration.stallAfterMs)) * 1_000_000,
                       connectionsPerSecond: configuration.perIPConnectionsPerSecond)
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

    func submit(_ box: RequestBox, host: String, address: String, port: Int) {
        guard HTTPDriver.isPlainHost(host), HTTPDriver.isAddress(address), (1...65535).contains(port) else {
            loop.complete(box, .fetch(FetchResult(outcome: .failure(.other, detail: "invalid host, address or port"),
                                                  address: address, elapsedMs: 0)))
            return
        }
        let transfer = Transfer(box: box, host: host, address: address, port: port, maxBody: configuration.maxBodyBytes)
        // Mutated in place through the subscript: a copy of the state would copy its FIFO
        // (copy-on-write), once per fetch, when one address has thousands waiting.
        if addresses[address] == nil {
            let memory = remembered[address]
            addresses[address] = AddressSlots(typicalNs: memory?.typicalNs, bucket: memory?.bucket)
        }
        if addresses[address]!.admit(transfer, limits, nowNs: Epoll.nowNs()) {
            ready.append(transfer)
        }
    }

    /// Starts ready transfers while fewer than `maxFetches` run.
    func pump() {
        while running < configuration.maxFetches, let transfer = ready.popFirst() {
            if transfer.box.isFinished {
                releaseAddress(of: transfer, durationNs: nil)
                loop.release()
                continue
            }
            start(transfer)
        }
    }

    private func start(_ transfer: Transfer) {
        guard let easy = pool.popLast() ?? EasyHandle(configuration: configuration, share: share) else {
            releaseAddress(of: transfer, durationNs: nil)
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
        running += 1
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
        if transfer.stalled { stalledRunning -= 1 } else { running -= 1 }
        active[ObjectIdentifier(transfer)] = nil
        releaseAddress(of: transfer, durationNs: Epoll.nowNs() - transfer.startedNs)
        finish(transfer, reply)
    }

    private func finish(_ transfer: Transfer, _ outcome: FetchOutcome) {
        loop.stats.fetchesCompleted += 1
        let elapsed = transfer.startedNs == 0 ? 0 : Int((Epoll.nowNs() - transfer.startedNs) / 1_000_000)
        loop.complete(transfer.box, .fetch(FetchResult(outcome: outcome, address: transfer.address, elapsedMs: elapsed,
                                                       certificate: transfer.certificate)))
        transfer.body = []
        transfer.certificate = nil
    }

    /// Ends the transfer's hold on its address and starts what may start there now.
    private func releaseAddress(of transfer: Transfer, durationNs: UInt64?) {
        let address = transfer.address
        // In place through the subscript, as in `submit`: no copy of the waiting FIFO.
        addresses[address]?.end(wasStalled: transfer.stalled, durationNs: durationNs)
        admitWaiting(at: address)
    }

    /// Moves the fetches an address has room for from its FIFO to `ready`; drops the entry
    /// once it is idle.
    private func admitWaiting(at address: String) {
        let now = Epoll.nowNs()
        while let next = addresses[address]?.next(limits, nowNs: now, isLive: { !$0.box.isFinished },
                                                  dropped: { _ in loop.release() }) {
            ready.append(next)
        }
        guard let slots = addresses[address] else { return }
        if slots.heldByRate(limits) { heldByRate.insert(address) } else { heldByRate.remove(address) }
        if slots.isIdle {
            if slots.typicalNs != nil || slots.bucket != nil {
                if remembered.count >= Self.addressMemory { remembered.removeAll(keepingCapacity: true) }
                remembered[address] = (slots.typicalNs, slots.bucket)
            }
            addresses[address] = nil
        }
    }

    /// The loop's tick: a running transfer past its address's stall time stops counting
    /// against the per-IP and global limits (up to `maxStalledFetches` at once), so a hung
    /// host holds no slot that others wait for; it keeps running until its own timeout.
    func tick(nowNs: UInt64) {
        if !heldByRate.isEmpty {
            for address in heldByRate { admitWaiting(at: address) }
        }
        guard stalledRunning < configuration.maxStalledFetches else { return }
        var freed: [String] = []
        for transfer in active.values where !transfer.stalled && transfer.easy != nil {
            // No local copy of the entry: it would share, and then copy, the waiting FIFO.
            guard stalledRunning < configuration.maxStalledFetches,
                  let stallAfterNs = addresses[transfer.address]?.stallAfterNs(limits),
                  nowNs > transfer.startedNs, nowNs - transfer.startedNs > stallAfterNs else { continue }
            transfer.stalled = true
            addresses[transfer.address]?.stall()
            running -= 1
            stalledRunning += 1
            loop.stats.fetchesStalled += 1
            freed.append(transfer.address)
        }
        for address in freed { admitWaiting(at: address) }
    }

    /// Cancellation of a request: a running transfer is aborted now, so its slots free up;
    /// waiting ones are dropped when reached.
    func abort(_ box: RequestBox) {
        guard let transfer = box.transfer, transfer.easy != nil else { return }
        retire(transfer, reply: .failure(.other, detail: "cancelled"))
    }

    /// Fails every waiting and running transfer, then frees curl's handles.
    func shutdown() {
        let failure = FetchOutcome.failure(.other, detail: "engine shut down")
        for transfer in active.values { retire(transfer, reply: failure) }
        while let transfer = ready.popFirst() { finish(transfer, failure) }
        for (_, var slots) in addresses {
            while let transfer = slots.waiting.popFirst() { finish(transfer, failure) }
        }
        addresses = [:]
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
