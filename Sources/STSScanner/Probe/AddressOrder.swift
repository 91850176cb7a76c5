import STSEngine
import STSStore

/// Which addresses of a host a sender tries, in which order, and when it moves on to the
/// next one (RFC 5321 §5.1: "try the next address when it cannot connect or the connection
/// fails before the transaction"). Used for MX hosts (STARTTLS probes) and policy hosts
/// (HTTPS fetches) alike; the decisions are pure so the rules are tested without sockets.
enum AddressOrder {
    /// The IPv4 addresses in the order of the A answer, then the IPv6 addresses of the
    /// AAAA answer this machine has a route to, without repeats, at most
    /// `AddressAttempt.maxAddresses`. **[choice]** IPv4 first: the order of the answers a
    /// sender got, and what the world's truth can name exactly; RFC 6724 would put IPv6
    /// first on a dual-stack host. `hasRoute` is asked only for IPv6 addresses that could
    /// still be tried.
    static func candidates(ipv4: [String], ipv6: [String], hasRoute: (String) -> Bool) -> [String] {
        var list: [String] = []
        for address in ipv4 where list.count < AddressAttempt.maxAddresses && !list.contains(address) {
            list.append(address)
        }
        for address in ipv6 where list.count < AddressAttempt.maxAddresses && !list.contains(address) {
            if hasRoute(address) { list.append(address) }
        }
        return list
    }

    /// A sender moves on from an MX address that gave no SMTP session: no TCP connection
    /// (refused, timed out, failed), or a connection whose 220 greeting never came.
    /// **[choice]** A greeting timeout moves on too: the connection failed before the
    /// transaction (RFC 5321 §5.1; Postfix's smtp client does the same). A reply that came
    /// (a 554 greeting, EHLO without STARTTLS, a TLS or certificate failure) is the host's
    /// answer and decides.
    static func movesOn(_ outcome: SMTPProbeOutcome) -> Bool {
        switch outcome {
        case .failure(.connect, _), .failure(.greetingTimeout, _): true
        default: false
        }
    }

    /// A policy fetch moves on from an address it could not connect to (refused, timed out
    /// at connect, failed). Once connected, the address answers for the host: a TLS,
    /// certificate or HTTP failure, or a host that accepts and never answers, decides.
    static func movesOn(_ outcome: FetchOutcome) -> Bool {
        if case .failure(.connect, _) = outcome { return true }
        return false
    }

    /// An address as it appears next to a port: IPv6 in brackets (`[::1]:25`).
    static func withPort(_ address: String, _ port: Int) -> String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
