/// `unbound.conf` of `stsscan resolver start`: a local recursive resolver tuned for bulk
/// scanning. docs/resolver.md explains every setting.
public struct LocalResolverConfig: Sendable, Equatable {
    /// Loopback address it listens on.
    public var ip: String
    public var port: Int
    /// Unbound threads (each a core's worth of work at full load).
    public var threads: Int
    /// Validate DNSSEC with the root trust anchor (slower; off by default).
    public var dnssec: Bool
    /// Send every query to these servers (`IP@PORT`) instead of resolving from the root:
    /// tests point it at a world, so nothing leaves the machine.
    public var forward: [String]

    public init(ip: String, port: Int, threads: Int = 1, dnssec: Bool = false, forward: [String] = []) {
        self.ip = ip
        self.port = port
        self.threads = threads
        self.dnssec = dnssec
        self.forward = forward
    }

    /// Debian's root trust anchor (package dns-root-data, a dependency of unbound).
    public static let rootKey = "/usr/share/dns/root.key"

    func text(dir: String) -> String {
        var text = """
        # stsscan resolver: a local Unbound for bulk MTA-STS surveys (see docs/resolver.md).
        server:
            interface: \(ip)@\(port)
            port: \(port)
            do-daemonize: no
            use-systemd: no
            username: ""
            chroot: ""
            directory: "\(dir)"
            pidfile: "\(dir)/unbound.pid"
            logfile: "\(dir)/unbound.log"
            use-syslog: no
            log-time-ascii: yes
            verbosity: 1
            # Only this machine may ask.
            access-control: 0.0.0.0/0 refuse
            access-control: 127.0.0.0/8 allow
            # Parallelism: queries each thread keeps open, and UDP ports for them.
            num-threads: \(threads)
            num-queries-per-thread: 4096
            outgoing-range: 8192
            so-rcvbuf: 8m
            so-sndbuf: 8m
            # Caches: a survey asks many names once, but their name servers again and again.
            msg-cache-size: 256m
            rrset-cache-size: 512m
            infra-cache-numhosts: 200000
            # No rate limits: we are the only client.
            ratelimit: 0
            ip-ratelimit: 0
            # Fewer queries per name; IPv4 only (no IPv6 route is common on scan hosts).
            qname-minimisation: no
            do-ip6: no
            minimal-responses: yes
            prefetch: no
            hide-identity: yes
            hide-version: yes

        """
        if dnssec {
            text += """
                module-config: "validator iterator"
                trust-anchor-file: "\(Self.rootKey)"

            """
        } else {
            text += """
                # No DNSSEC validation (--dnssec turns it on).
                module-config: "iterator"

            """
        }
        if !forward.isEmpty {
            text += """
                # Forwarding to loopback servers (tests: a world) needs this.
                do-not-query-localhost: no

            """
        }
        text += """
        remote-control:
            control-enable: no

        """
        if !forward.isEmpty {
            // Every name goes to the forwarders; forward-first off: never to the root.
            text += "forward-zone:\n    name: \".\"\n    forward-first: no\n"
            for server in forward { text += "    forward-addr: \(server)\n" }
        }
        return text
    }
}
