import Foundation
import STSCore
import Testing
@testable import STSWorld

/// The mail side of the generated world (issue 10): each MX scenario's expected `delivery`
/// and primary `error_code`, the per-host truth in `mx-hosts.csv`, Postfix's generated
/// configuration and certificates, and the number of MX hosts a scan probes.
/// Spec: rfc8461-8460-rules.md §4 (coverage) and §5 (MX certificates, delivery verdict).
struct MailScenarioTests {
    /// What each scenario with MX probing must expect: (delivery, primary error_code).
    static let expected: [Scenario: (Delivery?, FindingCode?)] = [
        .mxProviderShared: (.ok, nil),
        .mxProviderTenant: (.ok, nil),
        .mxSelfHosted: (.ok, nil),
        .mxCNAME: (.ok, nil),
        .mxCertExpired: (.fails, .mxCertExpired),
        .mxCertNotYetValid: (.fails, .mxCertNotYetValid),
        .mxCertSelfSigned: (.fails, .mxCertUntrusted),
        .mxCertUnknownCA: (.fails, .mxCertUntrusted),
        .mxCertWrongName: (.fails, .mxCertNameMismatch),
        .mxNoSTARTTLS: (.fails, .mxStartTLSMissing),
        .mxConnectRefused: (.fails, .mxConnectRefused),
        .mxTarpit: (.fails, .mxGreetingTimeout),
        .mxTLSHandshake: (.fails, .mxTLSHandshakeFailed),
        .mxSMTP5xx: (.fails, .mxSMTPError),
        .mxTestingBroken: (.fails, .mxStartTLSMissing),
        .mxHostNoAddress: (.fails, .mxHostNoAddress),
        .mxHostNXDomain: (.fails, .mxHostNXDomain),
        .mxOneBroken: (.degraded, .mxCertExpired),
        // An uncovered host fails whatever its TLS; mx-partly-covered and
        // delivery-degraded are warnings, so no error at all.
        .mxBackupUncovered: (.degraded, nil),
        .mxCoverageSome: (.degraded, nil),
        .mxIPLiteral: (.degraded, .mxIPLiteral),
        // mx-not-covered (stage mx-coverage) stays primary over delivery-fails.
        .mxCoverageNone: (.fails, .mxNotCovered),
        .mxWildcardTrap: (.fails, .mxNotCovered),
        // Null MX: nothing to probe, no verdict (RFC 7505).
        .mxNullEnforce: (nil, nil),
        // 100 certificates, all valid: hostile in size only.
        .mxLongChain: (.ok, nil),
        .validEnforce: (.ok, nil),
        .validTesting: (.ok, nil),
        .validNone: (nil, nil),
        .fetch404: (nil, .httpNotFound),
        .txtMissingID: (nil, .txtMissingID),
        .tlsrptBadURI: (.ok, .tlsrptBadURI),
        // RFC 5321 §5.1: the refusing first address is passed over for the second.
        .mxFirstAddressDead: (.ok, nil),
        // Probed over IPv6 where ::1 is routed; otherwise no sender here reaches it.
        .mxIPv6Only: WorldAddresses.ipv6Routable ? (.ok, nil) : (.fails, .mxHostIPv6Only),
        .validHostFirstAddressDead: (.ok, nil),
    ]

    @Test func everyMXScenarioHasItsDeliveryAndPrimaryCode() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-truth")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        for (scenario, (delivery, code)) in Self.expected {
            let matching = rows.filter { $0.scenario == scenario.rawValue }
            #expect(!matching.isEmpty, "\(scenario.rawValue) missing")
            for row in matching {
                #expect(row.delivery == delivery?.rawValue, "\(scenario.rawValue) \(row.domain) delivery")
                #expect(row.errorCode == code?.rawValue, "\(scenario.rawValue) \(row.domain) error_code")
            }
        }
        // Only scenarios whose primary code is an mx-tls finding need the probe to match.
        for scenario in Scenario.allCases {
            let probeOnly = Self.expected[scenario].map { $0.1?.stage == .mxTLS } ?? false
            #expect(scenario.needsMXProbe == probeOnly || Self.expected[scenario] == nil, "\(scenario.rawValue)")
            if scenario.needsMXProbe { #expect(Self.expected[scenario] != nil, "\(scenario.rawValue) not listed") }
        }
        #expect(Scenario.mxTestingBroken.rawValue.hasPrefix("mx-"))
        #expect(rows.first { $0.scenario == Scenario.mxTestingBroken.rawValue }?.mode == "testing")
    }

    /// `mx-hosts.csv` per host, checked through the pure core: coverage by the policy's own
    /// patterns (`MXMatcher`) plus each host's TLS outcome must give, by `DeliveryVerdict`,
    /// the domain's `delivery`, and the first mx-tls error must be the primary code when the
    /// scenario needs the probe.
    @Test func hostTruthAgreesWithDomainTruth() throws {
        let (dir, summary) = try WorldTestSupport.smallWorld("mail-hosts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        let hosts = try Self.readHosts(dir)
        let byDomain = Dictionary(grouping: hosts, by: \.domain)
        #expect(Set(hosts.map(\.host)).count == summary.probedMXHosts)
        for row in rows {
            let list = byDomain[row.domain] ?? []
            #expect(list.isEmpty == (row.delivery == nil), "\(row.scenario) \(row.domain)")
            guard let delivery = row.delivery else { continue }
            let body = try [UInt8](Data(contentsOf: dir.appendingPathComponent("www/mta-sts.\(row.domain)")))
            let policy = PolicyParser.evaluate(body)
            let coverage = MXMatcher.evaluate(patterns: policy.mx, mxHosts: list.map(\.host))
            #expect(coverage.coverage.rawValue == row.mxCoverage, "\(row.scenario) \(row.domain)")
            let checks = zip(list, coverage.covered).map { MXHostCheck(host: $0.host, covered: $1, failure: $0.outcome) }
            let verdict = DeliveryVerdict.evaluate(checks)
            #expect(verdict.delivery?.rawValue == delivery, "\(row.scenario) \(row.domain)")
            let firstTLSError = verdict.findings.first { $0.code.severity == .error && $0.code != .deliveryFails }?.code
            if Scenario(rawValue: row.scenario)!.needsMXProbe {
                #expect(firstTLSError?.rawValue == row.errorCode, "\(row.scenario) \(row.domain)")
            } else {
                #expect(firstTLSError == nil, "\(row.scenario) \(row.domain) has host failure \(String(describing: firstTLSError))")
            }
        }
        // Probe order: preference, then name.
        for (_, list) in byDomain {
            #expect(list.map { "\($0.preference) \($0.host)" } == list.sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
                .map { "\($0.preference) \($0.host)" })
        }
    }

    /// Each failing kind sits where the scenario says: address or certificate.
    @Test func failingHostsUseTheirScenarioServers() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-servers", block: 7)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = WorldAddresses(block: 7)
        let hosts = try Self.readHosts(dir)
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        func hostsOf(_ scenario: Scenario) -> [MXHostTruth] {
            let domains = Set(rows.filter { $0.scenario == scenario.rawValue }.map(\.domain))
            return hosts.filter { domains.contains($0.domain) }
        }
        #expect(hostsOf(.mxNoSTARTTLS).map(\.address) == [a.noStartTLSMailIP])
        #expect(hostsOf(.mxTLSHandshake).map(\.address) == [a.handshakeFailMailIP])
        #expect(hostsOf(.mxTarpit).map(\.address) == [a.tarpitMailIP])
        #expect(hostsOf(.mxSMTP5xx).map(\.address) == [a.rejectingMailIP])
        #expect(hostsOf(.mxConnectRefused).map(\.address) == [a.refusedMailIP])
        // RFC 5321 §5.1: the refused first address, then the self-hosted one that decides.
        let dead = hostsOf(.mxFirstAddressDead)
        #expect(dead.count == 1 && dead[0].outcome == nil && dead[0].address.hasPrefix("127.7.55.")
                && dead[0].attempts == "\(a.refusedMailIP) mx-connect-refused, \(dead[0].address) ok")
        let ipv6 = hostsOf(.mxIPv6Only)
        if WorldAddresses.ipv6Routable {
            #expect(ipv6.count == 1 && ipv6[0].address == "::1" && ipv6[0].outcome == nil && ipv6[0].attempts == "::1 ok")
        } else {
            #expect(ipv6.count == 1 && ipv6[0].address.isEmpty && ipv6[0].outcome == .mxHostIPv6Only && ipv6[0].attempts == "")
        }
        #expect(hostsOf(.mxTarpit).map(\.attempts) == ["\(a.tarpitMailIP) mx-greeting-timeout"])
        #expect(hostsOf(.mxProviderShared).map(\.host) == Providers.mailA)
        let tenant = hostsOf(.mxProviderTenant)
        #expect(tenant.count == 1 && tenant[0].host.hasSuffix(".mail.protection.mailhost-t.com") && tenant[0].address == a.tenantMailIP)
        let literal = hostsOf(.mxIPLiteral)
        #expect(literal.map(\.outcome) == [nil, .mxIPLiteral] && literal[1].host == a.mailIP)
        let cname = hostsOf(.mxCNAME)
        #expect(cname.count == 1 && cname[0].host.hasPrefix("mx.") && cname[0].address == a.selfHostedMailIP(7))
        let zones = try ["com", "net", "org", "de", "io", "xn--p1ai"].map {
            try String(contentsOf: dir.appendingPathComponent("zones/\($0).zone"), encoding: .utf8)
        }.joined()
        #expect(zones.contains("\(cname[0].host).\tIN\tCNAME\t\(Providers.cnameMailTarget)."))
        for host in hosts where host.address.hasPrefix("127.7.55.") {
            #expect(a.ordinaryMailIPs.contains(host.address) || host.outcome != nil, "\(host.host)")
        }
    }

    /// Every MX host gets the certificate its scenario says: valid self-hosted names are on
    /// their address's default certificate, failure certificates are the host's own file in
    /// the SNI table (key first, as Postfix wants), providers are on the providers' chain.
    @Test func eachHostGetsItsCertificate() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-sni")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = WorldAddresses()
        let sni = try String(contentsOf: dir.appendingPathComponent(MailCertificates.sniSource), encoding: .utf8)
        var table: [String: String] = [:]
        for line in sni.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && table[String(parts[0])] == nil, "\(line)")
            table[String(parts[0])] = String(parts[1])
        }
        // Entries cost Postfix a decode per handshake: only hosts that need their own.
        #expect(!table.keys.contains { $0.contains("mailhost-") })
        var selfHostedNames = 0
        var longChains = 0
        for host in try Self.readHosts(dir) {
            guard host.address != "", host.outcome == nil || host.outcome!.rawValue.hasPrefix("mx-cert") else { continue }
            let selfHosted = (0..<WorldAddresses.selfHostedMailAddresses).first { a.selfHostedMailIP($0) == host.address }
            let path: String
            if let entry = table[host.host] {
                path = entry
                let own = path.hasSuffix("/\(host.host).pem")
                let certificates = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "BEGIN CERTIFICATE").count - 1
                #expect(own == (host.outcome != nil || certificates == MailCertificates.longChainLength), "\(host.host) -> \(path)")
                #expect(own || selfHosted == nil, "\(host.host) valid on its address's certificate, not in SNI")
                if certificates > 1 { longChains += 1 }
            } else if let selfHosted {
                path = "\(dir.path)/\(MailCertificates.selfHostedChain(selfHosted))"
                #expect(host.outcome == nil, "\(host.host): failure certificates are in the SNI table")
                selfHostedNames += 1
            } else {
                path = "\(dir.path)/\(MailCertificates.defaultChain)"
                #expect([a.mailIP, a.providerBMailIP, a.tenantMailIP].contains(host.address), "\(host.host)")
            }
            let chain = try String(contentsOfFile: path, encoding: .utf8)
            #expect(chain.hasPrefix("-----BEGIN PRIVATE KEY-----"), "Postfix wants the key first: \(path)")
            let leaf = chain[chain.range(of: "-----BEGIN CERTIFICATE-----")!.lowerBound..<chain.range(of: "-----END CERTIFICATE-----")!.upperBound]
            let names = try CertificateFactory.dnsNames(ofPEM: String(leaf))
            let wildcard = "*." + host.host.split(separator: ".", maxSplits: 1).last!
            if host.outcome == .mxCertNameMismatch {
                #expect(!names.contains(host.host) && !names.contains(wildcard), "\(host.host)")
            } else {
                #expect(names.contains(host.host) || names.contains(wildcard), "\(host.host): \(names)")
            }
        }
        #expect(selfHostedNames > 10)
        #expect(longChains >= 1)
        // Each self-hosted smtpd presents its address's certificate.
        let master = try String(contentsOf: dir.appendingPathComponent("postfix/master.cf"), encoding: .utf8)
        for n in 0..<WorldAddresses.selfHostedMailAddresses {
            #expect(master.contains("\(a.selfHostedMailIP(n)):smtp inet n - n - - smtpd -o smtpd_tls_chain_files=\(dir.path)/\(MailCertificates.selfHostedChain(n))\n"))
        }
    }

    /// The Postfix instance is private and closed: own directories, no relaying, no
    /// delivery, only the world's addresses, the scenario options on their addresses.
    @Test func postfixConfigurationIsPrivateAndClosed() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-config", block: 9)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try WorldManifest.load(from: dir)
        #expect(manifest.mail == "127.9.55.1:25" && manifest.mxHostsFile == MXHostTruth.fileName)
        let main = try String(contentsOf: dir.appendingPathComponent("postfix/main.cf"), encoding: .utf8)
        let master = try String(contentsOf: dir.appendingPathComponent("postfix/master.cf"), encoding: .utf8)
        for line in main.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(!line.contains("/etc/postfix") && !line.contains("/var/spool"), "\(line)")
        }
        for setting in ["queue_directory = \(dir.path)/run/postfix-queue", "data_directory = \(dir.path)/run/postfix-data",
                        "inet_interfaces = loopback-only", "mynetworks =\n", "relay_domains =\n", "mydestination =\n",
                        "smtpd_relay_restrictions = reject", "default_transport = error:",
                        "tls_server_sni_maps = hash:\(dir.path)/postfix/sni", "maillog_file = \(dir.path)/run/postfix.log"] {
            #expect(main.contains(setting), "main.cf lacks \(setting)")
        }
        let services = master.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let inet = services.filter { $0.contains(" inet ") }
        let a = WorldAddresses(block: 9)
        // Every listener names a world address; [::1] for the IPv6-only MX hosts where ::1 is routed.
        let ipv6 = WorldAddresses.ipv6Routable
        #expect(inet.allSatisfy { $0.hasPrefix("127.9.55.") || (ipv6 && $0.hasPrefix("[::1]:smtp ")) }, "every listener names a world address")
        #expect(inet.count == a.ordinaryMailIPs.count + 4 + (ipv6 ? 1 : 0))
        #expect(main.contains("inet_protocols = \(ipv6 ? "all" : "ipv4")"))
        #expect(!inet.contains { $0.hasPrefix(a.refusedMailIP + ":") })
        #expect(inet.contains { $0.hasPrefix("\(a.noStartTLSMailIP):smtp") && $0.contains("smtpd_tls_security_level=none") })
        #expect(inet.contains { $0.hasPrefix("\(a.handshakeFailMailIP):smtp") && $0.contains("smtpd_tls_protocols=<=TLSv1") })
        #expect(inet.contains { $0.hasPrefix("\(a.tarpitMailIP):smtp") && $0.contains("smtpd_client_restrictions=sleep,") })
        #expect(inet.contains { $0.hasPrefix("\(a.rejectingMailIP):smtp") && $0.contains("smtpd_client_restrictions=reject") })
        // No delivery agents that could send mail anywhere.
        for agent in [" smtp\n", " lmtp\n", " local\n", " virtual\n", " pipe\n"] {
            #expect(!services.contains { ($0 + "\n").hasSuffix(agent) }, "master.cf runs\(agent)")
        }
    }

    /// A 1M-domain 2 % world must keep its probed MX hosts at a few thousand: at the same
    /// adoption, 50,000 domains scale by 20.
    @Test func probedMXHostsStayModerate() throws {
        let dir = WorldTestSupport.temporaryDirectory("mail-scale")
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try WorldBuilder(directory: dir, domains: 50_000, adoption: 0.02, seed: 1, latencyMs: 0).build()
        #expect(summary.probedMXHosts * 20 < 6_000, "\(summary.probedMXHosts) probed MX hosts in 50k domains")
        #expect(summary.probedMXHosts * 20 > 1_000)
        let hosts = try Self.readHosts(dir)
        let tenants = Set(hosts.filter { $0.host.hasSuffix(".mail.protection.mailhost-t.com") }.map(\.host))
        #expect(tenants.count >= 20, "per-tenant MX names sharing provider T's one address")
    }

    static func readHosts(_ dir: URL) throws -> [MXHostTruth] {
        try MXHostTruth.read(dir.appendingPathComponent(MXHostTruth.fileName))
    }
}
