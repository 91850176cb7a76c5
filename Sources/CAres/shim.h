#ifndef STSSCAN_CARES_SHIM_H
#define STSSCAN_CARES_SHIM_H
// c-ares 1.18.1 (Debian 12). Everything Swift needs, plus the DNS record parser.
#include <ares.h>
#include <ares_dns.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#endif
