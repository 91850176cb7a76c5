import Foundation
import STSCore
import STSEngine
import STSStore

/// Examines one domain end to end: MX, `_mta-sts` TXT and `_smtp._tls` TXT in parallel;
/// then, when the STS record is usable, the policy host's address and the HTTPS fetch;
/// then classification by STSCore. Never throws: every outcome is a finding.
public struct DomainProbe: Sendable {
    public let engine: any ProbeEngine
    /// The HTTPS port of policy hosts (443 on the internet).
    public let policyPort: Int
    /// STARTTLS probing of MX hosts; nil: none.
    public let mxProbe: MXProbeSettings?
    /// Shares each MX host's probe between the domains it serves (one per scan).
    public let registry: MXProbeRegistry

    public init(engine: any ProbeEngine, policyPort: Int = 443, mxProbe: MXProbeSettings? = nil,
                registry: MXProbeRegistry = MXProbeRegistry()) {
        self.engine = engine
        self.policyPort = policyPort
        self.mxProbe = mxProbe?.mode == MXProbeMode.none ? nil : mxProbe
        self.registry = registry
    }

    /// Probes `entry`. With `explain`, the returned steps narrate every lookup and fetch.
    public func probe(_ entry: InputEntry, explain: Bool = false) async -> (DomainRecord, [ProbeStep]) {
        let started = ContinuousClock.now
        var log = StepLog(enabled: explain)
        // NUL becomes U+FFFD, as in stored policy bodies: many SQLite clients cut TEXT at a NUL,
        // so an invalid entry would show as a different name than the one listed.
        let listed = entry.raw.utf8.contains(0) ? entry.raw.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : entry.raw
        var result = DomainRecord(position: entry.position, rank: entry.rank, domain: listed, input: listed)

        let domain: String
        if let problem = entry.problem {
            result.findings.append(Finding(.inputInvalidName, problem))
            return (finish(result, started), log.steps)
        }
        switch DomainName.normalize(entry.raw) {
        case .success(let name):
            domain = name
            result.domain = name
        case .failure(let reason):
            result.findings.append(Finding(.inputInvalidName, "\(reason)"))
            return (finish(result, started), log.steps)
        }

        // The three independent lookups run concurrently, in one engine call.
        let stsName = "_mta-sts.\(domain)", tlsrptName = "_smtp._tls.\(domain)"
        let answers = await engine.resolve([DNSLookup(domain, .mx), DNSLookup(stsName, .txt),
                                            DNSLookup(tlsrptName, .txt)])
        let (mx, sts, tlsrpt) = (answers[0], answers[1], answers[2])
        log.add("MX \(domain)", mx)
        log.add("TXT \(stsName)", sts)
        log.add("TXT \(tlsrptName)", tlsrpt)

        classifyMX(mx, domain: domain, into: &result)
        let stsVerdict = classifySTS(sts, name: stsName, into: &result)
        if stsVerdict?.isValid == true {
            await fetchPolicy(domain: domain, into: &result, log: &log)
        }
        if let mxProbe { await probeMX(mxProbe, into: &result, log: &log) }
        classifyTLSRPT(tlsrpt, name: tlsrptName, into: &result)
        return (finish(result, started), log.steps)
    }

    // MARK: - Stages

    private func classifyMX(_ answer: DNSAnswer, domain: String, into result: inout DomainRecord) {
        result.mxStatus = DNSFindings.mxStatus(answer.status)
        switch answer.status {
        case .ok:
            let hosts = answer.mx.map { MXHost(preference: $0.preference, host: normalizeHost($0.host)) }
            if hosts.count == 1, hosts[0].host.isEmpty {
                result.findings.append(Finding(.mxNull))  // RFC 7505 "0 ."
            } else {
                result.mxHosts = hosts.filter { !$0.host.isEmpty }
            }
        case .nodata:
            result.findings.append(Finding(.mxMissing))
        case .nxdomain:
            result.findings.append(Finding(.domainNXDomain, domain))
        default:
            if let finding = DNSFindings.failure(answer.status, lookup: .mx, name: domain) { result.findings.append(finding) }
        }
    }

    private func classifySTS(_ answer: DNSAnswer, name: String, into result: inout DomainRecord) -> STSRecordVerdict? {
        if let target = answer.cnameChain.last {
            result.stsCNAME = target
            result.findings.append(Finding(.txtCNAME, target))
        }
        switch answer.status {
        case .ok, .nodata, .nxdomain:
            let records = answer.status == .ok ? answer.txt.map { String(decoding: $0, as: UTF8.self) } : []
            result.stsRawRecords = records
            let verdict = STSRecordParser.evaluate(rawRecords: answer.status == .ok ? answer.txt : [])
            result.stsRecord = verdict.status
            result.stsID = verdict.id
            result.findings.append(contentsOf: verdict.findings)
            return verdict
        default:
            result.stsRecord = .error
            if let finding = DNSFindings.failure(answer.status, lookup: .stsTXT, name: name) { result.findings.append(finding) }
            return nil
        }
    }

    private func classifyTLSRPT(_ answer: DNSAnswer, name: String, into result: inout DomainRecord) {
        switch answer.status {
        case .ok, .nodata, .nxdomain:
            let records = answer.status == .ok ? answer.txt.map { String(decoding: $0, as: UTF8.self) } : []
            result.tlsrptRawRecords = records
            let verdict = TLSRPTParser.evaluate(rawRecords: answer.status == .ok ? answer.txt : [])
            result.tlsrptRecord = verdict.status
            result.tlsrptRUA = verdict.rua
            result.findings.append(contentsOf: verdict.findings)
        default:
            result.tlsrptRecord = .error
            if let finding = DNSFindings.failure(answer.status, lookup: .tlsrptTXT, name: name) { result.findings.append(finding) }
        }
    }

    /// Resolves `mta-sts.<domain>` (A, then AAAA only when there is no A) and fetches the
    /// policy, moving to the host's next address when one cannot be connected to (RFC 5321
    /// §5.1 as for MX hosts, `AddressOrder`): the A addresses in answer order, then, when
    /// they are used up, the routable AAAA addresses; at most three. The last address tried
    /// decides.
    private func fetchPolicy(domain: String, into result: inout DomainRecord, log: inout StepLog) async {
        let host = "mta-sts.\(domain)"
        result.policyStatus = .fetchError
        let a = await engine.resolve(host, .a)
        log.add("A \(host)", a)
        var answer = a
        var aaaa: DNSAnswer?
        if a.status == .nodata {
            let more = await engine.resolve(host, .aaaa)
            log.add("AAAA \(host)", more)
            aaaa = more
            if more.status != .nodata || !more.addresses.isEmpty { answer = more }
        }
        if let target = answer.cnameChain.last ?? a.cnameChain.last {
            result.policyHostCNAME = target
            result.findings.append(Finding(.policyHostCNAME, target))
        }
        guard answer.status == .ok, !answer.addresses.isEmpty else {
            switch answer.status {
            case .nxdomain: result.findings.append(Finding(.policyHostNXDomain, host))
            case .ok, .nodata: result.findings.append(Finding(.policyHostNoAddress, host))
            default:
                if let finding = DNSFindings.failure(answer.status, lookup: .policyHost, name: host) {
                    result.findings.append(finding)
                }
            }
            return
        }
        let ipv4 = a.status == .ok ? a.addresses : []
        func ipv6(_ answer: DNSAnswer?) -> [String] { answer?.status == .ok ? answer!.addresses : [] }
        var queue = AddressOrder.candidates(ipv4: ipv4, ipv6: ipv6(aaaa), hasRoute: engine.hasRoute)
        if queue.isEmpty {
            // Only IPv6 addresses, none of them reachable from here: a sender here cannot connect.
            let detail = "AAAA \(answer.addresses.prefix(AddressAttempt.maxAddresses).joined(separator: ", ")) only; "
                + "this machine has no IPv6 route to it"
            result.policyAddress = answer.addresses.first
            result.findings.append(Finding(.connectError, detail))
            return
        }
        var fetched: FetchResult!
        var index = 0
        while index < queue.count {
            let address = queue[index]
            index += 1
            fetched = await engine.fetchPolicy(host: host, address: address, port: policyPort)
            log.addFetch(host: host, fetched)
            result.policyAttempts.append(AddressAttempt(address: address, outcome: Self.attemptOutcome(fetched.outcome)))
            guard AddressOrder.movesOn(fetched.outcome) else { break }
            if index == queue.count, aaaa == nil, queue.count < AddressAttempt.maxAddresses {
                // The A addresses are used up: a sender with IPv6 tries the AAAA ones next.
                let more = await engine.resolve(host, .aaaa)
                log.add("AAAA \(host)", more)
                aaaa = more
                queue = AddressOrder.candidates(ipv4: ipv4, ipv6: ipv6(more), hasRoute: engine.hasRoute)
            }
        }
        result.policyAddress = fetched.address
        switch fetched.outcome {
        case let .failure(failure, detail):
            let attempts = result.policyAttempts
            let tried = attempts.count > 1 ? "; addresses tried: \(AddressAttempt.text(attempts)!)" : ""
            result.findings.append(TransportFindings.fetch(failure, detail: detail + tried))
        case let .response(status, contentType, location, body):
            result.httpStatus = status
            result.policyBody = body
            if let failure = HTTPResponseRules.failure(status: status, contentType: contentType, location: location) {
                result.findings.append(failure)
                return
            }
            classifyPolicy(body, into: &result)
        }
    }

    /// What one fetch attempt did, as `policy_attempts` stores it: the HTTP status of a
    /// response, else the fetch finding's code.
    static func attemptOutcome(_ outcome: FetchOutcome) -> String {
        switch outcome {
        case .response(let status, _, _, _): String(status)
        case .failure(let failure, _): TransportFindings.fetchCode(failure).rawValue
        }
    }

    private func classifyPolicy(_ body: [UInt8], into result: inout DomainRecord) {
        let verdict = PolicyParser.evaluate(body)
        result.policyStatus = verdict.isValid ? .valid : .invalid
        result.mode = verdict.mode
        result.maxAge = verdict.maxAge
        result.policyMX = verdict.mx
        result.findings.append(contentsOf: verdict.findings)
        guard verdict.isValid, let mode = verdict.mode, mode != .none, !result.mxHosts.isEmpty else { return }
        let coverage = MXMatcher.evaluate(patterns: verdict.mx, mxHosts: result.mxHosts.map(\.host))
        result.mxCoverage = coverage.coverage
        for (index, covered) in coverage.covered.enumerated() where index < result.mxHosts.count {
            result.mxHosts[index].covered = covered
        }
        result.findings.append(contentsOf: coverage.findings)
    }

    /// STARTTLS of every MX host (one probe per host per scan, shared through the registry)
    /// and, where a valid `enforce`/`testing` policy applies, the delivery verdict.
    private func probeMX(_ settings: MXProbeSettings, into result: inout DomainRecord, log: inout StepLog) async {
        let policyApplies = result.policyStatus == .valid && (result.mode == .enforce || result.mode == .testing)
        guard !result.mxHosts.isEmpty, policyApplies || settings.mode == .all else { return }
        // Findings name hosts in preference order, then by name.
        let hosts = result.mxHosts.sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
        let unique = hosts.map(\.host).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let prober = MXHostProber(engine: engine, settings: settings)
        let registry = self.registry
        let explain = log.enabled
        let verdicts = await withTaskGroup(of: (String, MXHostVerdict, MXProbeOwnerData?).self) { group in
            for host in unique {
                group.addTask {
                    let (verdict, owned) = await registry.verdict(for: host) { await prober.probe(host, explain: explain) }
                    return (host, verdict, owned)
                }
            }
            var collected: [String: (MXHostVerdict, MXProbeOwnerData?)] = [:]
            for await (host, verdict, owned) in group { collected[host] = (verdict, owned) }
            return collected
        }
        for host in unique {
            guard let (_, owned) = verdicts[host], let owned else { continue }
            result.mxProbes.append(owned.record)
            log.append(owned.steps)
        }
        guard policyApplies else { return }
        let checks = unique.map { host in
            let verdict = verdicts[host]!.0
            let covered = hosts.first { $0.host == host }?.covered ?? false
            return MXHostCheck(host: host, covered: covered, failure: verdict.failure, detail: verdict.detail)
        }
        let (delivery, findings) = DeliveryVerdict.evaluate(checks)
        result.delivery = delivery
        result.findings.append(contentsOf: findings)
    }

    // MARK: - Helpers

    private func finish(_ result: DomainRecord, _ started: ContinuousClock.Instant) -> DomainRecord {
        var result = result
        let elapsed = ContinuousClock.now - started
        result.durationMs = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return result
    }

    private func normalizeHost(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
