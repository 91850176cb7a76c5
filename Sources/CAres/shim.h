#ifndef STSSCAN_CARES_SHIM_H
#define STSSCAN_CARES_SHIM_H
// c-ares 1.18.1 (Debian 12): channels, ares_send and the socket callbacks. c-ares' record
// parsers are not used: ares_send hands back the raw answer, which the engine reads with its
// own bounds-checked DNSMessage (Sources/STSEngine/DNSMessage.swift).
#include <ares.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
/// ARES_SOCKET_BAD as a value Swift can use without relying on macro import.
static inline ares_socket_t stsares_socket_bad(void) { return ARES_SOCKET_BAD; }

// Kernel receive timestamps for the DNS window's delay signal. A round trip measured when the
// answer callback runs includes the time the answer sat in our own socket buffer while the
// loop thread was busy or waiting for a core; that is the scanner's lateness, not a queue on
// the resolver's path, and must not shrink the window. With SO_TIMESTAMPNS on the UDP sockets
// (c-ares' socket functions, ares_set_socket_functions, 1.18 API) each datagram carries the
// time it arrived; c-ares 1.18 processes a UDP answer right after reading it, so the
// callback finds the arrival of its own datagram here.

/// Per channel: the arrival time of the last datagram read, on CLOCK_MONOTONIC (0: none
/// known), and the receive buffer its UDP sockets ask for.
typedef struct { unsigned long long arrival_ns; int receive_buffer; } stsares_arrival;

static inline unsigned long long stsares_clock_ns(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (unsigned long long)now.tv_sec * 1000000000ULL + (unsigned long long)now.tv_nsec;
}

// c-ares configures no socket it did not open itself (non-blocking, close-on-exec, buffer
// sizes, TCP_NODELAY): done here.
static ares_socket_t stsares_socket(int domain, int type, int protocol, void *user) {
    stsares_arrival *arrival = (stsares_arrival *)user;
    int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd < 0) return ARES_SOCKET_BAD;
    int on = 1;
    if (type == SOCK_DGRAM) {
        setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);  // best effort: no stamp, no sample
        if (arrival->receive_buffer > 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &arrival->receive_buffer, sizeof arrival->receive_buffer);
    } else if (type == SOCK_STREAM) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
}

static int stsares_close(ares_socket_t fd, void *user) { (void)user; return close(fd); }

static int stsares_connect(ares_socket_t fd, const struct sockaddr *address, ares_socklen_t length, void *user) {
    (void)user;
    return connect(fd, address, length);
}

static ares_ssize_t stsares_recvfrom(ares_socket_t fd, void *data, size_t length, int flags,
                                     struct sockaddr *from, ares_socklen_t *from_length, void *user) {
    stsares_arrival *arrival = (stsares_arrival *)user;
    struct iovec vector = { data, length };
    union { char bytes[CMSG_SPACE(sizeof(struct timespec))]; struct cmsghdr align; } control;
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_name = from;
    message.msg_namelen = from_length ? *from_length : 0;
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control.bytes;
    message.msg_controllen = sizeof control.bytes;
    ssize_t count = recvmsg(fd, &message, flags);
    if (count < 0) return count;  // errno (EAGAIN) as c-ares expects it
    if (from_length) *from_length = message.msg_namelen;
    arrival->arrival_ns = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec stamp;
            memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
            unsigned long long real = (unsigned long long)stamp.tv_sec * 1000000000ULL + (unsigned long long)stamp.tv_nsec;
            unsigned long long now_real = stsares_clock_ns(CLOCK_REALTIME);
            unsigned long long now_mono = stsares_clock_ns(CLOCK_MONOTONIC);
            unsigned long long waited = now_real > real ? now_real - real : 0;  // in our socket buffer
            arrival->arrival_ns = now_mono > waited ? now_mono - waited : now_mono;
        }
    }
    return count;
}

static ares_ssize_t stsares_sendv(ares_socket_t fd, const struct iovec *vectors, int count, void *user) {
    (void)user;
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = (struct iovec *)vectors;
    message.msg_iovlen = (size_t)count;
    return sendmsg(fd, &message, MSG_NOSIGNAL);  // a TCP connection the resolver closed: EPIPE, no signal
}

static const struct ares_socket_functions stsares_timestamping_functions = {
    stsares_socket, stsares_close, stsares_connect, stsares_recvfrom, stsares_sendv
};

/// Makes `channel` timestamp received datagrams into `arrival` (kept alive by the caller).
static inline void stsares_use_arrival_timestamps(ares_channel channel, stsares_arrival *arrival) {
    ares_set_socket_functions(channel, &stsares_timestamping_functions, arrival);
}
#endif
