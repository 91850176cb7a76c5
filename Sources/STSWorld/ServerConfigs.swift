/// The three server configuration files of a world. Paths are absolute, so a world
/// directory must be rebuilt (not moved) to run elsewhere.
enum ServerConfigs {
    /// Where the echo module lives on Debian (package libnginx-mod-http-echo).
    static let echoModule = "/usr/lib/nginx/modules/ngx_http_echo_module.so"
    /// nginx `limit_rate` (bytes/s) of the drip server: an 8 KB body takes ~80 s, beyond
    /// even the one minute RFC 8461 suggests as a fetch timeout.
    static let dripRate = 100
    /// Seconds the sleeping server waits before answering (beyond any sane fetch timeout).
    static let sleepSeconds = 90

    static func nsd(dir: String, addresses: WorldAddresses, zones: [String]) -> String {
        var text = """
        # NSD for the stsscan simulated internet: authoritative for the world's TLD zones.
        server:
            ip-address: \(addresses.nsdIP)@\(addresses.dnsPort)
            do-ip6: no
            reuseport: yes
            server-count: 2
            tcp-count: 1000
            username: ""
            chroot: ""
            database: ""
            zonefiles-write: 0
            zonesdir: "\(dir)/zones"
            zonelistfile: "\(dir)/run/nsd-zone.list"
            xfrdfile: "\(dir)/run/nsd-xfrd.state"
            xfrdir: "\(dir)/run"
            pidfile: "\(dir)/run/nsd.pid"
            logfile: "\(dir)/run/nsd.log"
            hide-version: yes
            verbosity: 1
            # Large socket buffers: bursts of thousands of queries must not overflow them.
            receive-buffer-size: 8388608
            send-buffer-size: 8388608
            # Response-rate limiting off: a scanner asks thousands of questions a second.
            rrl-ratelimit: 0
            rrl-whitelist-ratelimit: 0
        remote-control:
            control-enable: no

        """
        for zone in zones {
            text += "zone:\n    name: \"\(zone)\"\n    zonefile: \"\(zone).zone\"\n"
        }
        return text
    }

    static func dnsdist(dir: String, addresses: WorldAddresses, faultFiles: [DNSFault: String]) -> String {
        """
        -- dnsdist in front of NSD: injects the faults and latency of the real internet.
        setSecurityPollSuffix("")
        setLocal("\(addresses.dnsdistIP):\(addresses.dnsPort)", { reusePort=true })
        addLocal("\(addresses.dnsdistIP):\(addresses.dnsPort)", { reusePort=true })
        setMaxUDPOutstanding(65535)
        setUDPSocketBufferSizes(8388608, 8388608)
        setMaxTCPClientThreads(16)
        setMaxTCPQueuedConnections(10000)
        setRingBuffersSize(10000, 2)
        newServer({ address="\(addresses.nsdIP):\(addresses.dnsPort)", name="nsd", sockets=8,
                    checkName="com.", checkType="SOA", checkInterval=1, maxCheckFailures=3 })

        -- Latency for every answer (UDP; rewritten by `stsscan world start --latency-ms`).
        dofile("\(dir)/dnsdist-latency.lua")

        local function nameSet(file)
          local set = newDNSNameSet()
          for line in io.lines(file) do
            if line ~= "" then set:add(newDNSName(line)) end
          end
          return set
        end
        addAction(QNameSetRule(nameSet("\(dir)/\(faultFiles[.drop]!)")), DropAction())
        addAction(QNameSetRule(nameSet("\(dir)/\(faultFiles[.servfail]!)")), RCodeAction(DNSRCode.SERVFAIL))
        -- TC over UDP only: the client's retry over TCP passes.
        addAction(AndRule({ QNameSetRule(nameSet("\(dir)/\(faultFiles[.truncate]!)")), TCPRule(false) }), TCAction())

        """
    }

    /// The run-time part of dnsdist's configuration: latency, and optionally a share of
    /// all queries dropped at random (`world start --drop-share`).
    static func dnsdistLatency(_ ms: Int, dropShare: Double? = nil) -> String {
        var text = ms > 0 ? "addAction(AllRule(), DelayAction(\(ms)))\n" : "-- no added latency\n"
        if let dropShare, dropShare > 0 {
            text += "addAction(ProbaRule(\(dropShare)), DropAction())\n"
        }
        return text
    }

    /// `certificateGroups`: the `CertificateGroups` names, one server block with a static
    /// certificate each. Every other host is served by the variable-certificate blocks.
    static func nginx(dir: String, addresses: WorldAddresses, kindFiles: [ServeKind: String],
                      certificateGroups: [String]) -> String {
        let listen = "listen \(addresses.httpsIP):\(addresses.httpsPort) ssl"
        func names(_ kind: ServeKind) -> String { "include \(dir)/\(kindFiles[kind]!);" }
        // One flat file per host: per-host directories would cost two more inodes per host.
        let policyLocation = "location = /.well-known/mta-sts.txt { alias \(dir)/www/$host; }"
        let groupBlocks = certificateGroups.map { group in
            """

                server {
                    \(listen);
                    include \(dir)/\(CertificateGroups.hostsFile(group));
                    ssl_certificate \(dir)/certs/\(group).crt;
                    \(policyLocation)
                }
            """
        }.joined()
        return """
        # nginx for the stsscan simulated internet: every policy host, a certificate naming it.
        user root;
        worker_processes 2;
        daemon off;
        pid \(dir)/run/nginx.pid;
        error_log \(dir)/run/nginx-error.log warn;
        worker_rlimit_nofile 65536;
        load_module \(echoModule);

        events { worker_connections 20000; }

        http {
            access_log off;
            types {}
            default_type text/plain;
            sendfile on;
            keepalive_requests 1000;
            server_names_hash_max_size 1048576;
            server_names_hash_bucket_size 256;
            client_body_temp_path \(dir)/run/nginx-body;
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_certificate \(dir)/certs/$ssl_server_name.crt;
            ssl_certificate_key \(dir)/leaf.key;
            ssl_session_cache shared:world:50m;

            # Policy files as text/plain; www/<host> is the policy file itself (missing: 404).
            server {
                \(listen) default_server;
                \(policyLocation)
            }
            server {
                \(listen);
                \(names(.status500))
                return 500;
            }
            server {
                \(listen);
                \(names(.redirect))
                return 301 https://www.$host/.well-known/mta-sts.txt;
            }
            server {
                \(listen);
                \(names(.html))
                default_type text/html;
                \(policyLocation)
            }
            server {
                \(listen);
                \(names(.sleep))
                location / {
                    echo_sleep \(sleepSeconds);
                    echo "version: STSv1";
                }
            }
            server {
                \(listen);
                \(names(.drip))
                sendfile off;
                limit_rate \(dripRate);
                \(policyLocation)
            }
            # Hosts sharing a certificate (CertificateGroups): static, loaded once.\(groupBlocks)
        }

        """
    }
}

extension ServerConfigs {
    /// Unbound as the world's recursive resolver: one stub zone per TLD and one for the
    /// root, all pointing at dnsdist, so every answer comes from NSD through dnsdist's
    /// latency and faults, and nothing is ever asked outside the world (no root hints are
    /// used: the root itself is a stub to dnsdist, where NSD refuses what it does not serve).
    /// No DNSSEC (`module-config: "iterator"`), no rate limits; settings measured in
    /// /work/shared/engineering-notes.md ("Measured on the world").
    static func unbound(dir: String, addresses: WorldAddresses, tlds: [String]) -> String {
        let upstream = "\(addresses.dnsdistIP)@\(addresses.dnsPort)"
        var text = """
        # Unbound for the stsscan simulated internet: a recursive resolver reaching the world's
        # zones through dnsdist (latency, drops, SERVFAILs) and NSD. Never queries elsewhere.
        server:
            interface: \(addresses.unboundIP)@\(addresses.dnsPort)
            port: \(addresses.dnsPort)
            do-ip6: no
            do-daemonize: no
            use-systemd: no
            username: ""
            chroot: ""
            directory: "\(dir)/run"
            pidfile: "\(dir)/run/unbound.pid"
            logfile: "\(dir)/run/unbound.log"
            use-syslog: no
            log-time-ascii: yes
            verbosity: 1
            access-control: 127.0.0.0/8 allow
            # The world's servers are on loopback.
            do-not-query-localhost: no
            # No DNSSEC: the world is unsigned.
            module-config: "iterator"
            # Throughput for a bulk scan (docs/resolver.md explains each).
            num-threads: 1
            num-queries-per-thread: 4096
            outgoing-range: 8192
            so-rcvbuf: 4m
            so-sndbuf: 4m
            msg-cache-size: 128m
            rrset-cache-size: 256m
            ratelimit: 0
            ip-ratelimit: 0
            # Keep asking dnsdist after timeouts: dropped names must not mark the world down.
            infra-keep-probing: yes
            qname-minimisation: no
            minimal-responses: yes
            # Answers keep the published order (1.17 rotates RRsets by default): the truth
            # names which address a sender tries first (mx-first-address-dead).
            rrset-roundrobin: no
            hide-identity: yes
            hide-version: yes
        remote-control:
            control-enable: no

        """
        for zone in ["."] + tlds {
            text += "stub-zone:\n    name: \"\(zone)\"\n    stub-addr: \(upstream)\n"
        }
        return text
    }
}
