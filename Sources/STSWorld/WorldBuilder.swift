import Foundation

/// What `WorldBuilder.build()` produced.
public struct WorldBuildSummary: Sendable {
    public let domains: Int
    public let adopting: Int
    /// Domains per scenario name.
    public let scenarioCounts: [String: Int]
    public let policyHosts: Int
    /// Certificate files written: one per host with a certificate scenario or special
    /// serving, plus one per `CertificateGroups` group of ordinary hosts.
    public let certificates: Int
    /// Distinct MX host names of the domains a scanner probes by default (valid `enforce`
    /// or `testing` policy with MX hosts): the number of MX probes of a full scan.
    public let probedMXHosts: Int
    /// Names in Postfix's SNI table and the MX certificate files (groups + single hosts).
    public let mailCertificateNames: Int
    public let mailCertificates: Int
    public let seconds: Double
}

/// Generates a world directory: zone files and `nsd.conf`, `dnsdist.conf` with fault
/// lists, `nginx.conf` with per-kind host lists, `postfix/` (main.cf, master.cf, the SNI
/// table source and MX certificate chains), a test CA and certificates, policy files,
/// `domains.csv`, `truth.csv`, `mx-hosts.csv` and `world.json`. Deterministic for a seed (see
/// `CertificateFactory` for the one exception: signature bytes).
public struct WorldBuilder {
    public let directory: URL
    public let domains: Int
    public let adoption: Double
    public let seed: UInt64
    public let latencyMs: Int
    public let addresses: WorldAddresses
    /// Share of adopters whose policy host accepts and never answers (nil: the usual few).
    public var hangingHosts: Double?
    /// Include the IPv6-only MX host (Postfix on `[::1]:25`; one such world at a time).
    public var ipv6MX = false

    /// Files and directories a build owns; a rebuild removes them first.
    static let generated = ["world.json", "domains.csv", "truth.csv", "ca.pem", "leaf.key", "nsd.conf",
                            "dnsdist.conf", "dnsdist-latency.lua", "nginx.conf", "unbound.conf", "zones", "certs", "www",
                            "hosts", "faults", "postfix", MXHostTruth.fileName,
                            WorldEvolution.transitionsFile]

    public init(directory: URL, domains: Int, adoption: Double, seed: UInt64, latencyMs: Int) {
        self.init(directory: directory, domains: domains, adoption: adoption, seed: seed,
                  latencyMs: latencyMs, addresses: WorldAddresses())
    }

    /// As above, with the address block to use (tests run worlds side by side).
    public init(directory: URL, domains: Int, adoption: Double, seed: UInt64, latencyMs: Int,
                addresses: WorldAddresses) {
        self.directory = directory.standardizedFileURL
        self.domains = domains
        self.adoption = adoption
        self.seed = seed
        self.latencyMs = latencyMs
        self.addresses = addresses
    }

    // swiftlint:disable:next function_body_length
    public func build() throws -> WorldBuildSummary {
        guard domains > 0 else { throw WorldError.badArguments("--domains must be at least 1") }
        guard (0...1).contains(adoption) else { throw WorldError.badArguments("--adoption must be within 0...1") }
        guard latencyMs >= 0 else { throw WorldError.badArguments("--latency-ms must not be negative") }
        if let hangingHosts, !(0...1).contains(hangingHosts) {
            throw WorldError.badArguments("--hanging-hosts must be within 0...1")
        }
        let started = Date()
        let dir = directory.path
        try prepareDirectory()
        for sub in ["zones", "certs", "www", "hosts", "faults", "run"] { try FileSink.makeDirectory("\(dir)/\(sub)") }

        let certificates = try CertificateFactory(seed: seed)
        try FileSink.write(Array(try certificates.caPEM().utf8), to: "\(dir)/ca.pem")
        try FileSink.write(Array(certificates.leafKeyPEM.utf8), to: "\(dir)/leaf.key")
        chmod("\(dir)/leaf.key", 0o600)

        var zones: [String: FileSink] = [:]
        for tld in DomainNamer.tlds {
            let sink = try FileSink(path: "\(dir)/zones/\(tld).zone")
            sink.write(Self.zoneHeader(tld, addresses))
            zones[tld] = sink
        }
        func emit(_ record: ZoneRecord) {
            let tld = String(record.owner[record.owner.index(after: record.owner.lastIndex(of: ".")!)...])
            zones[tld]!.write("\(record.owner).\tIN\t\(record.type)\t\(record.data)\n")
        }
        Providers.records(addresses).forEach(emit)

        var faultSinks: [DNSFault: FileSink] = [:]
        for fault in [DNSFault.drop, .servfail, .truncate] {
            faultSinks[fault] = try FileSink(path: "\(dir)/\(Self.faultFile(fault))")
        }
        var hostSinks: [ServeKind: FileSink] = [:]
        for kind in ServeKind.allCases where kind != .file {
            let sink = try FileSink(path: "\(dir)/\(Self.hostsFile(kind))")
            sink.write("server_name \(kind.rawValue).world.invalid;\n")
            hostSinks[kind] = sink
        }
        let domainsCSV = try FileSink(path: "\(dir)/domains.csv")
        let truthCSV = try FileSink(path: "\(dir)/truth.csv")
        truthCSV.write(TruthFile.headerLine)
        let mxHostsCSV = try FileSink(path: "\(dir)/\(MXHostTruth.fileName)")
        mxHostsCSV.write(CSV.join(MXHostTruth.header))

        let groups = CertificateGroups(directory: dir, factory: certificates)
        let mailCertificates = try MailCertificates(directory: dir, factory: certificates, addresses: addresses, seed: seed)
        var probedMX = Set<String>()
        let scenarios = ScenarioMix.assign(domains: domains, adoption: adoption, seed: seed, hangingHosts: hangingHosts,
                                           ipv6MX: ipv6MX)
        let namer = DomainNamer(seed: seed)
        let planner = ScenarioPlanner(addresses: addresses)
        var counts: [String: Int] = [:]
        var policyHosts = 0
        var certificateCount = 0
        for (index, scenario) in scenarios.enumerated() {
            let domain = namer.name(index: index, scenario: scenario)
            var rng = SplitMix64.stream(seed ^ UInt64(index), 4)
            let plan = planner.plan(scenario, domain: domain, rng: &rng)
            plan.records.forEach(emit)
            for (qname, fault) in plan.faults { faultSinks[fault]!.write(qname + "\n") }
            if let web = plan.web {
                policyHosts += 1
                if let sink = hostSinks[web.serve] { sink.write("server_name \(web.host);\n") }
                if let body = web.body {
                    try FileSink.write(body, to: "\(dir)/www/\(web.host)")
                }
                if CertificateGroups.accepts(web) {
                    try groups.add(host: web.host)
                } else if let pem = try certificates.chainPEM(host: web.host, kind: web.cert, serial: UInt64(index)) {
                    try FileSink.write(Array(pem.utf8), to: "\(dir)/certs/\(web.host).crt")
                    certificateCount += 1
                }
            }
            for host in plan.mailHosts {
                try mailCertificates.add(host, address: MXHostTruth.address(of: host.host, plan: plan, addresses: addresses),
                                         serial: UInt64(index))
            }
            if plan.expectation.delivery != nil {
                for host in MXHostTruth.hosts(of: domain, plan: plan, addresses: addresses) {
                    probedMX.insert(host.host)
                    mxHostsCSV.write(CSV.join(host.cells))
                }
            }
            let rank = index + 1
            domainsCSV.write("\(rank),\(domain)\n")
            truthCSV.write(TruthFile.line(plan.expectation.row(domain: domain, rank: rank, scenario: scenario)))
            counts[scenario.rawValue, default: 0] += 1
        }
        for sink in Array(zones.values) + Array(faultSinks.values) + Array(hostSinks.values) + [domainsCSV, truthCSV, mxHostsCSV] {
            try sink.close()
        }
        try groups.finish()
        certificateCount += groups.names.count
        try mailCertificates.finish()

        try write(ServerConfigs.nsd(dir: dir, addresses: addresses, zones: DomainNamer.tlds), "nsd.conf")
        try write(ServerConfigs.dnsdist(dir: dir, addresses: addresses,
                                        faultFiles: [.drop: Self.faultFile(.drop), .servfail: Self.faultFile(.servfail),
                                                     .truncate: Self.faultFile(.truncate)]), "dnsdist.conf")
        try write(ServerConfigs.dnsdistLatency(latencyMs), "dnsdist-latency.lua")
        try write(ServerConfigs.unbound(dir: dir, addresses: addresses, tlds: DomainNamer.tlds), "unbound.conf")
        var kindFiles: [ServeKind: String] = [:]
        for kind in ServeKind.allCases where kind != .file { kindFiles[kind] = Self.hostsFile(kind) }
        try write(ServerConfigs.nginx(dir: dir, addresses: addresses, kindFiles: kindFiles,
                                      certificateGroups: groups.names), "nginx.conf")
        // [::1]:25 only when some MX host is reached there (one world at a time can hold it).
        let ipv6 = WorldAddresses.ipv6Routable && scenarios.contains(.mxIPv6Only)
        try write(PostfixConfig.mainCF(dir: dir, ipv6: ipv6), "postfix/main.cf")
        try write(PostfixConfig.masterCF(dir: dir, addresses: addresses, ipv6: ipv6), "postfix/master.cf")

        let manifest = WorldManifest(
            seed: seed, domains: domains, adoption: adoption, hangingHosts: hangingHosts, latencyMs: latencyMs,
            dns: .init(nsd: "\(addresses.nsdIP):\(addresses.dnsPort)", dnsdist: "\(addresses.dnsdistIP):\(addresses.dnsPort)",
                       unbound: "\(addresses.unboundIP):\(addresses.dnsPort)"),
            https: "\(addresses.httpsIP):\(addresses.httpsPort)", refused: addresses.refusedIP,
            caFile: "ca.pem", domainsFile: "domains.csv", truthFile: "truth.csv",
            scan: .init(fetchTimeoutSeconds: 3, dnsTimeoutMs: 800, dnsTries: 2),
            mail: "\(addresses.mailIP):\(addresses.mailPort)", mxHostsFile: MXHostTruth.fileName)
        try manifest.write(to: directory)
        return WorldBuildSummary(domains: domains, adopting: scenarios.filter(\.adopting).count,
                                 scenarioCounts: counts, policyHosts: policyHosts,
                                 certificates: certificateCount, probedMXHosts: probedMX.count,
                                 mailCertificateNames: mailCertificates.names,
                                 mailCertificates: mailCertificates.files,
                                 seconds: Date().timeIntervalSince(started))
    }

    static func faultFile(_ fault: DNSFault) -> String { "faults/\(fault.rawValue).names" }
    static func hostsFile(_ kind: ServeKind) -> String { "hosts/\(kind.rawValue).conf" }

    static func zoneHeader(_ tld: String, _ addresses: WorldAddresses) -> String {
        """
        ; Zone \(tld). of the stsscan simulated internet (generated; do not edit).
        $TTL 3600
        \(tld).\tIN\tSOA\ta.nic.\(tld). hostmaster.nic.\(tld). 2024010101 7200 3600 1209600 300
        \(tld).\tIN\tNS\ta.nic.\(tld).
        a.nic.\(tld).\tIN\tA\t\(addresses.nsdIP)

        """
    }

    private func write(_ text: String, _ name: String) throws {
        try FileSink.write(Array(text.utf8), to: "\(directory.path)/\(name)")
    }

    /// Creates the directory, or clears a previous world's generated files from it.
    /// Refuses a non-empty directory that is not a world, and a world whose servers run.
    private func prepareDirectory() throws {
        let fm = FileManager.default
        let path = directory.path
        if !fm.fileExists(atPath: path) {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            return
        }
        let entries = try fm.contentsOfDirectory(atPath: path)
        if entries.isEmpty { return }
        guard entries.contains(WorldManifest.fileName) else { throw WorldError.directoryNotEmpty(path) }
        for server in WorldServers(directory: directory).status() where server.pid != nil {
            throw WorldError.alreadyRunning(server.name, pid: server.pid!)
        }
        for name in Self.generated where entries.contains(name) {
            try fm.removeItem(atPath: "\(path)/\(name)")
        }
    }
}
