#ifndef STSSCAN_CARES_SHIM_H
#define STSSCAN_CARES_SHIM_H
// c-ares 1.18.1 (Debian 12): channels, ares_send and the socket callbacks. c-ares' record
// parsers are not used: ares_send hands back the raw answer, which the engine reads with its
// own bounds-checked DNSMessage (Sources/STSEngine/DNSMessage.swift).
#include <ares.h>
#include <netinet/in.h>
#include <arpa/inet.h>
/// ARES_SOCKET_BAD as a value Swift can use without relying on macro import.
static inline ares_socket_t stsares_socket_bad(void) { return ARES_SOCKET_BAD; }
#endif
