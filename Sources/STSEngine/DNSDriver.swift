#if canImport(Glibc)
import Glibc
#endif
import CAres

/// The c-ares side of the loop: channels configured for measurement (explicit timeout and
/// tries, EDNS 1232, NOCHECKRESP so SERVFAIL/REFUSED come back to us), their sockets on the
/// loop's epoll, a fixed tick for timeouts, the rate limit and CNAME chasing.
/// Loop thread only.
final class DNSDriver {
    /// Most CNAME hops followed with new queries for one `resolve`.
    static let maxChases = 8
    /// Queries in flight per channel: well below the 16-bit id space.
    static let maxInFlightPerChannel = 16384
    static let ednsSize: UInt16 = 1232
    /// Extra rounds for a lookup whose connection failed under it (c-ares 1.18: the resolver
    /// closing a TCP connection fails every query waiting on it, good ones included).
    static let maxConnectionRetries = 2
    /// UDP receive buffer per socket: a burst of answers waits here while the loop works.
    static let receiveBuffer: Int32 = 4 << 20

    /// Per-channel context for the socket-state callback, and where its sockets leave the
    /// kernel's arrival time of the datagram being read (`stsares_arrival`, CAres/shim.h).
    final class Channel {
        unowned let driver: DNSDriver
        let index: Int
        var handle: ares_channel?
        var inFlight = 0
        let arrival: UnsafeMutablePointer<stsares_arrival>
        init(driver: DNSDriver, index: Int) {
            self.driver = driver
            self.index = index
            arrival = .allocate(capacity: 1)
            arrival.initialize(to: stsares_arrival(arrival_ns: 0, receive_buffer: DNSDriver.receiveBuffer))
        }
        deinit { arrival.deallocate() }

        /// When the answer being processed arrived (read once: a stale time is never reused).
        func takeArrival() -> UInt64? {
            let time = arrival.pointee.arrival_ns
            arrival.pointee.arrival_ns = 0
            return time > 0 ? UInt64(time) : nil
        }
    }

    /// Context of one `ares_send`, retained until its callback.
    final class Query {
        let job: DNSJob
        let channel: Channel
        /// When it was handed to c-ares: the round trip is the window's delay signal.
        let sentNs: UInt64
        /// Sent from the requery queue (counts against its share of the window).
        let isRequery: Bool
        init(job: DNSJob, channel: Channel, sentNs: UInt64, isRequery: Bool) {
            self.job = job
            self.channel = channel
            self.sentNs = sentNs
            self.isRequery = isRequery
        }
    }

    unowned let loop: EventLoop
    /// The channels new lookups are spread over.
    private var channels: [Channel] = []
    /// The channel of requeries: fewer, shorter tries (a name that timed out a whole round
    /// already cost its timeout once; a load-dropped answer needs one more chance, not three).
    private var requeryChannel: Channel?
    private var allChannels: [Channel] { requeryChannel.map { channels + [$0] } ?? channels }
    private var waiting = RingBuffer<DNSJob>()
    /// Lookups whose every try timed out, to be asked again (`EngineConfiguration.dnsRequeries`).
    private var requeries = RingBuffer<DNSJob>()
    private var requeriesInFlight = 0
    private var bucket: TokenBucket?
    private var nextChannel = 0
    private var inFlight = 0
    /// Queries allowed in flight (`DNSWindow`: adaptive, or fixed by `maxQueriesInFlight`).
    private var window: DNSWindow
    private let badSocket = stsares_socket_bad()

    init(loop: EventLoop) throws {
        self.loop = loop
        let configuration = loop.configuration
        guard configuration.maxQueriesInFlight > 0 else { throw EngineError.configuration("maxQueriesInFlight must be positive") }
        window = DNSWindow(adaptive: configuration.adaptiveQueriesInFlight, cap: configuration.maxQueriesInFlight,
                           timeoutMs: configuration.dnsTimeoutMs, nowNs: Epoll.nowNs())
        if let rate = configuration.maxQueriesPerSecond {
            guard rate > 0 else { throw EngineError.configuration("maxQueriesPerSecond must be positive") }
            bucket = TokenBucket(rate: rate, burst: rate * Double(configuration.tickMs) / 1000, nowNs: Epoll.nowNs())
        }
        do {
            for index in 0..<configuration.dnsChannels {
                channels.append(try makeChannel(index: index, timeoutMs: configuration.dnsTimeoutMs,
                                                tries: configuration.dnsTries))
            }
            if configuration.dnsRequeries > 0 {
                requeryChannel = try makeChannel(index: configuration.dnsChannels, timeoutMs: configuration.dnsTimeoutMs,
                                                 tries: min(2, configuration.dnsTries))
            }
        } catch {
            destroy()
            throw error
        }
    }

    /// A c-ares channel configured for measurement, its sockets timestamping what they read.
    private func makeChannel(index: Int, timeoutMs: Int, tries: Int) throws -> Channel {
        let configuration = loop.configuration
        let channel = Channel(driver: self, index: index)
        var options = ares_options()
        options.flags = Int32(ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH)
        options.timeout = Int32(clamping: timeoutMs)
        options.tries = Int32(clamping: tries)
        options.ednspsz = Int32(DNSDriver.ednsSize)
        options.sock_state_cb = { data, fd, readable, writable in
            let channel = Unmanaged<Channel>.fromOpaque(data!).takeUnretainedValue()
            channel.driver.socketState(channel: channel, fd: fd, readable: readable != 0, writable: writable != 0)
        }
        options.sock_state_cb_data = Unmanaged.passUnretained(channel).toOpaque()
        let mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_EDNSPSZ | ARES_OPT_SOCK_STATE_CB
        var handle: ares_channel?
        let status = ares_init_options(&handle, &options, mask)
        guard status == ARES_SUCCESS, let handle else {
            throw EngineError.cares("ares_init_options", String(cString: ares_strerror(status)))
        }
        channel.handle = handle
        // Our socket functions open the sockets (receive buffer, non-blocking) and read them
        // with their arrival time: the window's delay signal without our own lateness.
        stsares_use_arrival_timestamps(handle, channel.arrival)
        if !configuration.resolvers.isEmpty {
            let csv = configuration.resolvers.joined(separator: ",")
            let status = ares_set_servers_ports_csv(handle, csv)
            guard status == ARES_SUCCESS else {
                ares_destroy(handle)
                channel.handle = nil
                throw EngineError.configuration("resolvers \(csv): \(String(cString: ares_strerror(status)))")
            }
        }
        return channel
    }

    /// Destroys the channels; c-ares calls every pending callback with ARES_EDESTRUCTION.
    func destroy() {
        for channel in allChannels {
            if let handle = channel.handle {
                channel.handle = nil
                ares_destroy(handle)
            }
        }
    }

    private func socketState(channel: Channel, fd: ares_socket_t, readable: Bool, writable: Bool) {
        var events: UInt32 = 0
        if readable { events |= Epoll.readable }
        if writable { events |= Epoll.writable }
        Epoll.watch(loop.epfd, fd: fd, events: events, key: Epoll.key(.ares, index: channel.index, fd: fd))
    }

    // MARK: Loop events

    func ready(channel index: Int, fd: Int32, events: UInt32) {
        let channel = index < channels.count ? channels[index] : requeryChannel
        guard let channel, channel.index == index, let handle = channel.handle else { return }
        let read = events & (Epoll.readable | Epoll.failed) != 0 ? fd : badSocket
        let write = events & Epoll.writable != 0 ? fd : badSocket
        _ = channel.takeArrival()
        ares_process_fd(handle, read, write)
    }

    /// The fixed tick: c-ares checks its timeouts (no socket event announces them).
    func tick() {
        loop.assertOnLoopThread()
        for channel in allChannels {
            if let handle = channel.handle { ares_process_fd(handle, badSocket, badSocket) }
        }
        window.tick(nowNs: Epoll.nowNs())
        loop.stats.dnsWindow = window.limit
        loop.stats.dnsWindowSmallest = window.smallest
        loop.stats.dnsWindowLargest = window.largest
        loop.stats.dnsWindowDelayDecreases = window.delayDecreases
        loop.stats.dnsWindowLossDecreases = window.decreases
        loop.stats.dnsBaseRttUs = window.baseRttNs == .max ? 0 : Int(window.baseRttNs / 1000)
    }

    func submit(_ box: RequestBox<DNSRequest>, _ lookups: [DNSLookup]) {
        loop.assertOnLoopThread()
        guard !lookups.isEmpty else { loop.complete(box, []); return }
        let batch = DNSBatch(box: box, count: lookups.count, startedNs: Epoll.nowNs())
        for (index, lookup) in lookups.enumerated() {
            waiting.append(DNSJob(batch: batch, index: index, name: DNSQuery.canonical(lookup.name), type: lookup.type))
        }
    }

    /// Lets go of a job whose caller was already resumed.
    private func drop(_ job: DNSJob) {
        if job.batch.drop() { loop.release() }
    }

    /// Sends waiting queries while the rate limit and the channels allow.
    /// Requeries go first (their domains have waited longest) but hold at most a quarter of
    /// the window, so a burst of them cannot refill the queue that dropped them.
    func pump() {
        guard !waiting.isEmpty || !requeries.isEmpty else { return }
        let now = Epoll.nowNs()
        while inFlight < window.limit {
            let requery = !requeries.isEmpty && requeriesInFlight < max(1, window.limit / 4)
            guard requery || !waiting.isEmpty else { return }
            guard let channel = requery ? requeryChannel : freeChannel() else { return }
            if bucket != nil, !bucket!.take(nowNs: now) { return }
            guard let job = requery ? requeries.popFirst() : waiting.popFirst() else { return }
            if job.box.isFinished { drop(job); continue }
            send(job, on: channel, nowNs: now, isRequery: requery)
        }
    }

    private func freeChannel() -> Channel? {
        for _ in 0..<channels.count {
            let channel = channels[nextChannel]
            nextChannel = (nextChannel + 1) % channels.count
            if channel.handle != nil && channel.inFlight < DNSDriver.maxInFlightPerChannel { return channel }
        }
        return nil
    }

    private func send(_ job: DNSJob, on channel: Channel, nowNs: UInt64, isRequery: Bool) {
        guard let handle = channel.handle else { return }
        guard let message = DNSQuery.build(name: job.name, type: job.type, ednsSize: DNSDriver.ednsSize) else {
            finish(job, DNSAnswer(status: .error("invalid name"), cnameChain: job.chain))
            return
        }
        channel.inFlight += 1
        inFlight += 1
        if isRequery { requeriesInFlight += 1 }
        loop.stats.dnsQueriesSent += 1
        let query = Query(job: job, channel: channel, sentNs: nowNs, isRequery: isRequery)
        let context = Unmanaged.passRetained(query).toOpaque()
        message.withUnsafeBufferPointer { buffer in
            ares_send(handle, buffer.baseAddress, Int32(buffer.count), { argument, status, timeouts, answer, length in
                let query = Unmanaged<Query>.fromOpaque(argument!).takeRetainedValue()
                query.channel.driver.answered(query, status: status, timeouts: Int(timeouts),
                                              answer: answer, length: Int(length))
            }, context)
        }
    }

    private func answered(_ query: Query, status: Int32, timeouts: Int, answer: UnsafeMutablePointer<UInt8>?, length: Int) {
        query.channel.inFlight -= 1
        inFlight -= 1
        if query.isRequery { requeriesInFlight -= 1 }
        // `timeouts` counts tries that timed out; the last one of a timed-out query was not
        // followed by a retransmission.
        loop.stats.dnsRetries += status == ARES_ETIMEOUT ? max(0, timeouts - 1) : timeouts
        // The adaptive window learns from round trips, answers and lost tries (`DNSWindow`).
        if status == ARES_ETIMEOUT {
            window.timedOut(tries: timeouts)
        } else if status == ARES_SUCCESS {
            // The round trip ends when the answer reached our socket, not when the loop read it.
            let arrivedNs = query.channel.takeArrival() ?? Epoll.nowNs()
            window.answered(lostTries: timeouts, sentNs: query.sentNs, nowNs: arrivedNs)
        }
        let job = query.job
        if job.box.isFinished { drop(job); return }
        switch status {
        case ARES_SUCCESS:
            loop.stats.dnsResponses += 1
            if job.requeries > 0 { loop.stats.dnsRequeriesAnswered += 1 }
            guard let answer, length > 0 else {
                finish(job, DNSAnswer(status: .error("empty answer"), cnameChain: job.chain))
                return
            }
            let bytes = Array(UnsafeBufferPointer(start: answer, count: length))
            let message: DNSMessage
            do {
                message = try DNSMessage(parsing: bytes)
            } catch {
                finish(job, DNSAnswer(status: .error("malformed answer: \(error)"), cnameChain: job.chain))
                return
            }
            switch DNSInterpretation.interpret(message, name: job.name, type: job.type) {
            case .answer(let answer):
                finish(job, DNSAnswer(status: answer.status, cnameChain: job.chain + answer.cnameChain,
                                      txt: answer.txt, mx: answer.mx, addresses: answer.addresses))
            case .chase(let target, let chain):
                if job.visited.isEmpty { job.visited.insert(job.name) }
                job.chain += chain
                if chain.contains(where: { job.visited.contains($0) }) || job.visited.contains(target) {
                    finish(job, DNSAnswer(status: .error("CNAME loop"), cnameChain: job.chain))
                } else if job.chases >= DNSDriver.maxChases || loop.isStopping {
                    finish(job, DNSAnswer(status: .error("CNAME chain too long"), cnameChain: job.chain))
                } else {
                    job.visited.formUnion(chain)
                    job.chases += 1
                    job.name = target
                    loop.stats.dnsCNAMEChases += 1
                    waiting.append(job)
                }
            }
        case ARES_ETIMEOUT where job.requeries < loop.configuration.dnsRequeries && !loop.isStopping:
            // Inconclusive: the tries may have been lost to load, not to the name's servers.
            // Asked again later, when the window has reacted, so what is stored is what the
            // resolver answers rather than what the load dropped.
            job.requeries += 1
            loop.stats.dnsRequeries += 1
            requeries.append(job)
        case ARES_ETIMEOUT:
            loop.stats.dnsTimeouts += 1
            finish(job, DNSAnswer(status: .timeout, cnameChain: job.chain))
        case ARES_ECONNREFUSED where job.connectionRetries < DNSDriver.maxConnectionRetries && !loop.isStopping:
            // The connection failed (closed or refused), not the lookup: ask again.
            job.connectionRetries += 1
            loop.stats.dnsRetries += 1
            waiting.append(job)
        case ARES_EDESTRUCTION, ARES_ECANCELLED:
            finish(job, DNSAnswer(status: .error("engine shut down"), cnameChain: job.chain))
        default:
            finish(job, DNSAnswer(status: .error(String(cString: ares_strerror(status))), cnameChain: job.chain))
        }
    }

    private func finish(_ job: DNSJob, _ answer: DNSAnswer) {
        loop.stats.resolvesCompleted += 1
        if let answers = job.batch.settle(job.index, answer, nowNs: Epoll.nowNs()) {
            loop.complete(job.box, answers)
        }
    }

    /// Fails the waiting jobs, then destroys the channels (which fails the ones in flight).
    func shutdown() {
        while let job = waiting.popFirst() ?? requeries.popFirst() {
            finish(job, DNSAnswer(status: .error("engine shut down"), cnameChain: job.chain))
        }
        destroy()
    }
}
