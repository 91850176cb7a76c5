#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import CCurl

/// The one thread that owns epoll, the tick timerfd, the c-ares channels and the curl multi
/// handle. Callers hand it typed `RequestBox`es (as `Submission`s) through a lock-protected
/// submission queue and an eventfd wake-up; it resumes each box exactly once.
///
/// Bounds: the loop takes at most `maxOutstanding` requests from the submission queue, so
/// its waiting lists (rate limit, per-IP FIFOs, fetch admission) never hold more; a request
/// left in the submission queue is one suspended caller (one entry per awaiting task, so the
/// queue is bounded by the callers' own concurrency, and nothing is buffered on their behalf).
///
/// `@unchecked Sendable`: `inbox` and `published` are protected by their `Mutex`es;
/// everything else (`dns`, `http`, `held`, `stats`, the fds' use) is touched only by the
/// loop thread after `init` returns, and `thread` only under `threadState`.
final class EventLoop: @unchecked Sendable {
    let configuration: EngineConfiguration

    /// Cross-thread submission state.
    private struct Inbox {
        var queue = RingBuffer<Submission>()
        var cancelled: [Submission] = []
        var wakePending = false
        var stopped = false
        /// The loop has closed its fds: nothing may be written to `wakefd` any more (its
        /// number may already belong to another file, a database for instance).
        var closed = false
    }
    private let inbox = Mutex(Inbox())
    private let published = Mutex(EngineStatistics())
    private let threadState = Mutex<(thread: pthread_t?, joined: Bool)>((nil, false))
    /// Whether the loop thread has finished, and the callers of `stop` waiting for it.
    private let exitState = Mutex<(finished: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    let epfd: Int32
    private let wakefd: Int32
    private let tickfd: Int32

    // Loop thread only.
    var stats = EngineStatistics()
    private var dns: DNSDriver!
    private var http: HTTPDriver!
    private var smtp: SMTPDriver!
    /// Requests taken from the inbox and not yet dropped; bounded by `maxOutstanding`.
    private var held = 0
    private var stopping = false
    /// The loop thread, as it names itself when it starts (`assertOnLoopThread`).
    private var loopThread: pthread_t?

    init(configuration: EngineConfiguration) throws {
        guard configuration.maxOutstanding > 0, configuration.maxFetches > 0, configuration.perIP > 0,
              configuration.maxSMTPProbes > 0, configuration.mxPerIP > 0, configuration.smtpTimeoutMs > 0,
              configuration.stallAfterMs > 0, configuration.maxStalledFetches >= 0,
              (configuration.perIPConnectionsPerSecond ?? 1) > 0,
              configuration.dnsChannels > 0, configuration.tickMs > 0 else {
            throw EngineError.configuration("limits must be positive")
        }
        self.configuration = configuration
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw EngineError.system("epoll_create1", errno) }
        wakefd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        tickfd = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard wakefd >= 0, tickfd >= 0 else {
            let code = errno
            close(epfd)
            if wakefd >= 0 { close(wakefd) }
            if tickfd >= 0 { close(tickfd) }
            throw EngineError.system("eventfd/timerfd_create", code)
        }
        Epoll.watch(epfd, fd: wakefd, events: Epoll.readable, key: Epoll.key(.wake, fd: wakefd))
        Epoll.watch(epfd, fd: tickfd, events: Epoll.readable, key: Epoll.key(.tick, fd: tickfd))
        let periodNs = configuration.tickMs * 1_000_000
        var spec = itimerspec()
        spec.it_interval.tv_sec = periodNs / 1_000_000_000
        spec.it_interval.tv_nsec = periodNs % 1_000_000_000
        spec.it_value = spec.it_interval
        timerfd_settime(tickfd, 0, &spec, nil)
        do {
            dns = try DNSDriver(loop: self)
            http = try HTTPDriver(loop: self)
            smtp = try SMTPDriver(loop: self)
        } catch {
            dns?.destroy()
            close(epfd); close(wakefd); close(tickfd)
            throw error
        }
    }

    /// Starts the loop thread.
    func start() throws {
        let retained = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
            stsscan_name_this_thread("stsscan-loop")  // for top -H, perf, ps
            loop.applyPriority()
            loop.run()
            return nil
        }, retained)
        guard result == 0 else {
            Unmanaged<EventLoop>.fromOpaque(retained).release()
            throw EngineError.system("pthread_create", result)
        }
        threadState.withLock { $0.thread = thread }
    }

    // MARK: Any thread

    /// Runs `request` on the loop and waits for its reply; task cancellation resumes at once
    /// with a failure.
    func perform<Request: LoopRequest>(_ request: Request) async -> Request.Reply {
        let box = RequestBox(request)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if box.install(continuation) { submit(Request.submission(box)) }
            }
        } onCancel: {
            if box.cancel() { noteCancelled(Request.submission(box)) }
        }
    }

    private func submit(_ box: Submission) {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.stopped else { return (false, false) }
            inbox.queue.append(box)
            defer { inbox.wakePending = true }
            return (true, !inbox.wakePending)
        }
        if !accepted { box.fail("engine shut down") }
        if wake { signal() }
    }

    private func noteCancelled(_ box: Submission) {
        published.withLock { $0.cancelled += 1 }
        let wake = inbox.withLock { inbox -> Bool in
            guard !inbox.stopped else { return false }
            inbox.cancelled.append(box)
            defer { inbox.wakePending = true }
            return !inbox.wakePending
        }
        if wake { signal() }
    }

    /// Wakes the loop; a no-op once the loop has closed its fds.
    private func signal() {
        inbox.withLock { inbox in
            guard !inbox.closed else { return }
            var one: UInt64 = 1
            _ = write(wakefd, &one, 8)
        }
    }

    var statistics: EngineStatistics { published.withLock { $0 } }

    /// Stops the loop; every pending request resumes with a failure. Waits for the thread.
    func shutdown() {
        requestStop()
        if let thread = takeThread(), pthread_equal(thread, pthread_self()) == 0 {
            pthread_join(thread, nil)
        }
    }

    /// Stops the loop and waits for its thread to end, suspending the caller instead of
    /// blocking one of Swift's shared threads in a join.
    func stop() async {
        requestStop()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = exitState.withLock { state -> Bool in
                if !state.finished { state.waiters.append(continuation) }
                return state.finished
            }
            if finished { continuation.resume() }
        }
        shutdown() // the thread has ended: the join returns at once and frees it
    }

    /// Stops the loop without waiting for it (an engine dropped without `stop`): the thread
    /// ends on its own, detached, after failing every request it holds.
    func stopDetached() {
        requestStop()
        if let thread = takeThread() { pthread_detach(thread) }
    }

    /// The loop thread, for the one caller that joins or detaches it (nil afterwards).
    private func takeThread() -> pthread_t? {
        threadState.withLock { state -> pthread_t? in
            guard !state.joined, let thread = state.thread else { return nil }
            state.joined = true
            return thread
        }
    }

    private func requestStop() {
        let first = inbox.withLock { inbox -> Bool in
            defer { inbox.stopped = true }
            return !inbox.stopped
        }
        if first { signal() }
    }

    // MARK: Loop thread

    /// Asks for `configuration.loopNice`; records the nice value actually in effect.
    private func applyPriority() {
        if let nice = configuration.loopNice, stsscan_set_this_thread_nice(Int32(clamping: nice)) == 0 {
            stats.loopNice = nice
        }
        publish()
    }

    /// Traps in debug builds when loop-only state is touched from another thread: the
    /// drivers and the counters have no lock, and "loop thread only" must be more than a comment.
    @inline(__always)
    func assertOnLoopThread(_ function: StaticString = #function) {
        assert(loopThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false,
               "\(function) ran off the loop thread")
    }

    /// Called by the drivers when they let go of a request taken from the inbox.
    func release() {
        assertOnLoopThread()
        held -= 1
    }

    /// Resumes `box` (if nobody did yet) and lets go of it. The counters are published
    /// first, so a caller that reads `statistics` after its call returns sees its request.
    func complete<Request>(_ box: RequestBox<Request>, _ reply: Request.Reply) {
        assertOnLoopThread()
        held -= 1
        publish()
        box.finish(reply)
    }

    /// Copies the loop's counters to where other threads read them (`cancelled` is counted
    /// there directly, by the cancelling thread).
    private func publish() {
        stats.inFlight = held
        published.withLock { published in
            let cancelled = published.cancelled
            published = stats
            published.cancelled = cancelled
        }
    }

    private func run() {
        loopThread = pthread_self()
        let maxEvents = 256
        var events = [epoll_event](repeating: epoll_event(), count: maxEvents)
        while true {
            let now = Epoll.nowNs()
            let timeout = Epoll.timeoutMs(until: [http.deadline, smtp.deadline].compactMap { $0 }.min(), nowNs: now)
            let count = epoll_wait(epfd, &events, Int32(maxEvents), timeout)
            stats.loopIterations += 1
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let mask = events[index].events
                let (tag, channel, fd) = Epoll.decode(events[index].data.u64)
                switch tag {
                case .wake:
                    var value: UInt64 = 0
                    _ = read(wakefd, &value, 8)
                case .tick:
                    var value: UInt64 = 0
                    _ = read(tickfd, &value, 8)
                    dns.tick()
                    http.tick(nowNs: Epoll.nowNs())
                    smtp.tick(nowNs: Epoll.nowNs())
                case .ares:
                    dns.ready(channel: channel, fd: fd, events: mask)
                case .curl:
                    http.ready(fd: fd, events: mask)
                case .smtp:
                    smtp.ready(fd: fd, events: mask)
                case nil:
                    break
                }
            }
            let after = Epoll.nowNs()
            http.runTimeoutIfDue(nowNs: after)
            smtp.runTimeoutIfDue(nowNs: after)
            if takeFromInbox() { break }
            dns.pump()
            http.pump()
            smtp.pump()
            publish()
        }
        stopping = true
        failEverything()
        publish()
        inbox.withLock { $0.closed = true }
        close(epfd); close(wakefd); close(tickfd)
        let waiters = exitState.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Takes cancellations and new requests (up to the `maxOutstanding` bound). Returns
    /// true when the engine is stopping.
    private func takeFromInbox() -> Bool {
        let room = configuration.maxOutstanding - held
        let (boxes, cancelled, stopped) = inbox.withLock { inbox -> ([Submission], [Submission], Bool) in
            inbox.wakePending = false
            var taken: [Submission] = []
            if room > 0 {
                taken.reserveCapacity(min(room, inbox.queue.count))
                while taken.count < room, let box = inbox.queue.popFirst() { taken.append(box) }
            }
            if !inbox.queue.isEmpty { inbox.wakePending = true } // come back for the rest
            let cancelled = inbox.cancelled
            inbox.cancelled = []
            return (taken, cancelled, inbox.stopped)
        }
        // A cancelled lookup needs nothing here: its job is dropped when the loop reaches it.
        for submission in cancelled {
            switch submission {
            case .dns: break
            case .fetch(let box): http.abort(box)
            case .smtp(let box): smtp.abort(box)
            }
        }
        for submission in boxes {
            held += 1
            if submission.isFinished { held -= 1; continue }
            switch submission {
            case .dns(let box): dns.submit(box, box.request.lookups)
            case .fetch(let box): http.submit(box, host: box.request.host, address: box.request.address, port: box.request.port)
            case .smtp(let box):
                smtp.submit(box, host: box.request.host, address: box.request.address, port: box.request.port,
                            ehloName: box.request.ehloName)
            }
        }
        return stopped
    }

    /// Shutdown: every request still known anywhere resumes with a failure.
    private func failEverything() {
        let remaining = inbox.withLock { inbox -> [Submission] in
            inbox.cancelled = []
            return inbox.queue.drain()
        }
        for submission in remaining { submission.fail("engine shut down") }
        dns.shutdown()
        http.shutdown()
        smtp.shutdown()
    }

    var isStopping: Bool { stopping }
}
