import CCurl

/// A curl multi handle driven from the loop's epoll through `curl_multi_socket_action`
/// (curl's `docs/examples/ephiperfifo.c`): curl's sockets are registered under one epoll tag
/// and its timer is kept as a deadline the loop sleeps towards. After `ready` or a due
/// timeout the owner reads finished transfers with `curl_multi_info_read`. Loop thread only.
final class CurlMultiSocket {
    let handle: UnsafeMutableRawPointer
    private let epfd: Int32
    private let tag: Epoll.Tag
    /// When curl's timer is due (nil: no timer).
    private(set) var deadlineNs: UInt64?

    init(epfd: Int32, tag: Epoll.Tag) throws {
        guard let multi = curl_multi_init() else { throw EngineError.curl("curl_multi_init") }
        handle = multi
        self.epfd = epfd
        self.tag = tag
        let me = Unmanaged.passUnretained(self).toOpaque()
        stscurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        stscurl_multi_setopt_socket_function(multi) { _, fd, what, user, _ in
            let owner = Unmanaged<CurlMultiSocket>.fromOpaque(user!).takeUnretainedValue()
            Epoll.watch(owner.epfd, fd: fd, events: Epoll.events(curlPoll: what), key: Epoll.key(owner.tag, fd: fd))
            return 0
        }
        stscurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        stscurl_multi_setopt_timer_function(multi) { _, timeoutMs, user in
            let owner = Unmanaged<CurlMultiSocket>.fromOpaque(user!).takeUnretainedValue()
            owner.deadlineNs = timeoutMs < 0 ? nil : Epoll.nowNs() + UInt64(timeoutMs) * 1_000_000
            return 0
        }
    }

    /// Runs curl's timeout when it is due; true when it ran (transfers may have finished).
    func runTimeoutIfDue(nowNs: UInt64) -> Bool {
        guard let deadline = deadlineNs, deadline <= nowNs else { return false }
        deadlineNs = nil
        var handles: Int32 = 0
        curl_multi_socket_action(handle, stscurl_socket_timeout(), 0, &handles)
        return true
    }

    /// Hands curl what epoll reported for one of its sockets.
    func ready(fd: Int32, events: UInt32) {
        var handles: Int32 = 0
        curl_multi_socket_action(handle, fd, Epoll.curlSelect(events), &handles)
    }

    /// Frees the multi handle (after every easy handle was removed).
    func cleanup() { curl_multi_cleanup(handle) }
}
