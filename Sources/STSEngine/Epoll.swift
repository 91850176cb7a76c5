#if canImport(Glibc)
import Glibc
#endif
import CCurl

/// Thin helpers over the loop's epoll, eventfd and timerfd, and the monotonic clock.
enum Epoll {
    /// Who an epoll registration belongs to, kept in the top byte of `epoll_data.u64`.
    enum Tag: UInt64 {
        case wake = 1, tick = 2, ares = 3, curl = 4, smtp = 5
    }

    static func key(_ tag: Tag, index: Int = 0, fd: Int32) -> UInt64 {
        tag.rawValue << 56 | UInt64(index & 0xFFFFFF) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    static func decode(_ key: UInt64) -> (tag: Tag?, index: Int, fd: Int32) {
        (Tag(rawValue: key >> 56), Int((key >> 32) & 0xFFFFFF), Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)))
    }

    /// Registers or updates `fd` for `events` (0 removes it). Failures of DEL are ignored:
    /// the library may already have closed the socket, which removes it from epoll.
    static func watch(_ epfd: Int32, fd: Int32, events: UInt32, key: UInt64) {
        if events == 0 {
            _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
            return
        }
        var event = epoll_event()
        event.events = events
        event.data.u64 = key
        if epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT {
            _ = epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event)
        }
    }

    // <sys/epoll.h> values; Glibc's EPOLL_EVENTS enum does not reach Swift.
    static let readable: UInt32 = 0x001 // EPOLLIN
    static let writable: UInt32 = 0x004 // EPOLLOUT
    static let failed: UInt32 = 0x008 | 0x010 // EPOLLERR | EPOLLHUP

    /// epoll events for curl's `CURL_POLL_*` wish (0 removes the socket).
    static func events(curlPoll what: Int32) -> UInt32 {
        switch what {
        case CURL_POLL_IN: readable
        case CURL_POLL_OUT: writable
        case CURL_POLL_INOUT: readable | writable
        default: 0 // CURL_POLL_REMOVE
        }
    }

    /// curl's `CURL_CSELECT_*` mask for what epoll reported.
    static func curlSelect(_ events: UInt32) -> Int32 {
        var mask: Int32 = 0
        if events & readable != 0 { mask |= CURL_CSELECT_IN }
        if events & writable != 0 { mask |= CURL_CSELECT_OUT }
        if events & failed != 0 { mask |= CURL_CSELECT_ERR }
        return mask
    }

    /// How long epoll may sleep before `deadlineNs` (-1: no deadline; at most a minute).
    static func timeoutMs(until deadlineNs: UInt64?, nowNs: UInt64) -> Int32 {
        guard let deadlineNs else { return -1 }
        if deadlineNs <= nowNs { return 0 }
        return Int32(min(60_000, (deadlineNs - nowNs + 999_999) / 1_000_000))
    }

    /// Monotonic time in nanoseconds.
    static func nowNs() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
