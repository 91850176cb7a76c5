#ifndef STSSCAN_CURL_SHIM_H
#define STSSCAN_CURL_SHIM_H
// libcurl 7.88.1 (Debian 12). Swift cannot call C variadic functions, so every
// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt use goes through a typed
// `static inline` wrapper here, prefixed `stscurl_`; the few Linux and OpenSSL helpers the
// engine needs besides (thread name and nice value, socket shutdown, the certificate
// verify callback) are prefixed `stsscan_`.
#include <curl/curl.h>
// OpenSSL 3.0 (libssl-dev), the TLS library Debian's libcurl4-openssl uses: only to keep a
// handshake going past a certificate error (stscurl_easy_keep_handshake_on_verify_errors).
#include <openssl/ssl.h>
// The event loop that drives curl's socket API: Glibc's Swift module does not cover these
// Linux headers, so they are reached through this module.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/socket.h>

/// Names the calling thread (at most 15 characters shown), for top -H, perf and ps.
static inline void stsscan_name_this_thread(const char *name) {
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

/// Sets the nice value of the calling thread only (Linux: a thread id is a PRIO_PROCESS
/// target). Returns 0, or -1 with errno (EACCES when lowering it needs CAP_SYS_NICE).
static inline int stsscan_set_this_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

static inline CURLcode stscurl_easy_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode stscurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode stscurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode stscurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode stscurl_easy_setopt_share(CURL *h, CURLSH *v) {
    return curl_easy_setopt(h, CURLOPT_SHARE, v);
}
typedef size_t (*stscurl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode stscurl_easy_setopt_write_function(CURL *h, CURLoption o, stscurl_write_callback f) {
    return curl_easy_setopt(h, o, f);
}
static inline CURLcode stscurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode stscurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode stscurl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode stscurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLMcode stscurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}
static inline CURLMcode stscurl_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) {
    return curl_multi_setopt(m, o, v);
}
typedef int (*stscurl_socket_callback)(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp);
static inline CURLMcode stscurl_multi_setopt_socket_function(CURLM *m, stscurl_socket_callback f) {
    return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, f);
}
typedef int (*stscurl_timer_callback)(CURLM *multi, long timeout_ms, void *userp);
static inline CURLMcode stscurl_multi_setopt_timer_function(CURLM *m, stscurl_timer_callback f) {
    return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, f);
}
static inline CURLSHcode stscurl_share_setopt_long(CURLSH *s, CURLSHoption o, long v) {
    return curl_share_setopt(s, o, v);
}
static inline CURLcode stscurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}
/// CURL_SOCKET_TIMEOUT is a macro chain Swift does not import.
static inline curl_socket_t stscurl_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }
/// CURLMsg.easy_handle, read in C for symmetry with stscurl_msg_result.
static inline CURL *stscurl_msg_easy(CURLMsg *m) { return m->easy_handle; }
/// CURLMsg.msg == CURLMSG_DONE.
static inline int stscurl_msg_is_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }
/// The library's version number ("7.88.1"); CURLVERSION_NOW is a macro Swift cannot see.
static inline const char *stscurl_version_number(void) { return curl_version_info(CURLVERSION_NOW)->version; }
/// CURLMsg.data is a union; Swift imports it awkwardly, so read the result here.
static inline CURLcode stscurl_msg_result(CURLMsg *m) { return m->data.result; }
typedef int (*stscurl_debug_callback)(CURL *h, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode stscurl_easy_setopt_debug_function(CURL *h, stscurl_debug_callback f) {
    return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f);
}
static inline CURLcode stscurl_easy_getinfo_certinfo(CURL *h, struct curl_certinfo **v) {
    return curl_easy_getinfo(h, CURLINFO_CERTINFO, v);
}
static inline CURLcode stscurl_easy_getinfo_socket(CURL *h, curl_socket_t *v) {
    return curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, v);
}
/// Ends both directions of a socket curl still owns, so that closing the connection later
/// fails fast instead of waiting for a reply (curl's SMTP disconnect blocks on QUIT's reply).
static inline int stsscan_shutdown_socket(int fd) { return shutdown(fd, SHUT_RDWR); }
/// OpenSSL verify callback that records every error but never aborts the handshake.
static int stsscan_verify_record_only(int ok, X509_STORE_CTX *store) { (void)ok; (void)store; return 1; }
static CURLcode stsscan_ssl_ctx_record_only(CURL *h, void *ssl_ctx, void *user) {
    (void)h; (void)user;
    SSL_CTX_set_verify((SSL_CTX *)ssl_ctx, SSL_VERIFY_PEER, stsscan_verify_record_only);
    return CURLE_OK;
}
/// With CURLOPT_SSL_VERIFYPEER on, OpenSSL still verifies the chain and dates against the
/// trust store, but the handshake completes whatever the verdict, so curl gathers the
/// certificate chain (CURLOPT_CERTINFO) before it fails the transfer with
/// CURLE_PEER_FAILED_VERIFICATION and the verdict in CURLINFO_SSL_VERIFYRESULT.
static inline CURLcode stscurl_easy_keep_handshake_on_verify_errors(CURL *h) {
    return curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, stsscan_ssl_ctx_record_only);
}
#endif
