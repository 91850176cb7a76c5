#ifndef STSSCAN_CARES_SHIM_H
#define STSSCAN_CARES_SHIM_H
// c-ares 1.18.1 (Debian 12). Everything Swift needs, plus the DNS record parser.
#include <ares.h>
#include <ares_dns.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <arpa/inet.h>
/// ARES_SOCKET_BAD as a value Swift can use without relying on macro import.
static inline ares_socket_t stsares_socket_bad(void) { return ARES_SOCKET_BAD; }
#endif
