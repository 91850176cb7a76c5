import Foundation
import STSCore

/// What `WorldEvolution.evolve()` changed.
public struct WorldEvolutionSummary: Sendable {
    /// Domains per change (`EvolutionChange` raw values), zero included.
    public let changes: [(name: String, domains: Int)]
    /// Rows written to `transitions.csv`.
    public let transitions: Int
    public let seconds: Double
}

/// `stsscan world evolve`: changes a built world in place as months would. A deterministic
/// sample (for the world and `seed`) of plain deployments (`valid-enforce`,
/// `valid-testing`) and of domains without MTA-STS on the shared mail providers gets one
/// `EvolutionChange` each; zone files (serials one higher), policy files, certificates,
/// `truth.csv` and `mx-hosts.csv` then describe the new state, and `transitions.csv` the
/// transitions each change plants (what `stsscan diff` of a scan before and a scan after
/// must find, and nothing else). Servers serve the new state after `world stop` and
/// `world start` (NSD loads zones and Unbound's cache empties at start).
public struct WorldEvolution {
    public let directory: URL
    public let seed: UInt64

    public static let transitionsFile = "transitions.csv"
    public static let transitionsHeader = ["domain", "kind", "before", "after"]

    public init(directory: URL, seed: UInt64) {
        self.directory = directory.standardizedFileURL
        self.seed = seed
    }

    /// One domain's new state.
    private struct Outcome {
        var records: [ZoneRecord]
        var truth: TruthRow
        var transitions: [Transition]
    }

    // swiftlint:disable:next function_body_length
    public func evolve() throws -> WorldEvolutionSummary {
        let started = Date()
        let dir = directory.path
        let manifest: WorldManifest
        do { manifest = try WorldManifest.load(from: directory) } catch {
            throw WorldError.io("\(dir) holds no readable world.json: build a world there first (`stsscan world build`)")
        }
        let addresses = manifest.addresses
        let truthURL = directory.appendingPathComponent(manifest.truthFile)
        let truth = try TruthFile.read(truthURL)
        var rng = SplitMix64.stream(manifest.seed ^ seed.byteSwapped, 12)

        // Pools, shuffled; only the first few of each are inspected further.
        var adoptable = truth.filter { $0.scenario == Scenario.mxOnly.rawValue && $0.stsRecord == "absent" && $0.mxStatus == "ok" }
        var working = truth.filter {
            ($0.scenario == Scenario.validEnforce.rawValue || $0.scenario == Scenario.validTesting.rawValue)
                && $0.policyStatus == "valid" && $0.errorCode == nil && $0.delivery == "ok" && $0.stsID != nil
        }
        var expired = truth.filter {
            $0.scenario == Scenario.fetchCertExpired.rawValue && $0.errorCode == FindingCode.certExpired.rawValue
        }
        adoptable.shuffle(using: &rng)
        working.shuffle(using: &rng)
        expired.shuffle(using: &rng)
        let perChange = { (pool: Int) in max(1, Int((Double(pool) * EvolutionChange.share).rounded())) }
        let adoptCount = perChange(adoptable.count)
        let workingCount = perChange(working.count)
        adoptable = Array(adoptable.prefix(adoptCount * 4 + 8))
        working = Array(working.prefix(workingCount * (EvolutionChange.allCases.count - 1) * 3 + 16))
        let zones = ZoneRewriter(directory: dir)
        let renewCount = perChange(expired.count)
        expired = Array(expired.prefix(renewCount * 4 + 8))
        let records = try zones.records(of: Set((adoptable + working + expired).map(\.domain)))
        let groups = try certificateGroups(of: Set(working.map { "mta-sts.\($0.domain)" }))
        let certificates = try CertificateFactory(seed: manifest.seed)

        var outcomes: [String: Outcome] = [:]
        var counts: [EvolutionChange: Int] = [:]
        var policyFiles: [String: String?] = [:]   // host -> new body (nil: remove)
        var certificateFiles: [String: String] = [:]   // host -> PEM
        var groupRemovals: [String: [String]] = [:]   // group hosts file -> hosts
        var mxRecomputed: Set<String> = []   // domains whose mx-hosts.csv rows are derived anew

        // Adoptions: a testing policy covering the provider's MX hosts.
        for row in adoptable where counts[.adopt, default: 0] < adoptCount {
            let own = records[row.domain] ?? []
            guard let patterns = Self.providerPatterns(own, domain: row.domain) else { continue }
            let d = row.domain
            let id = Self.newID(&rng, not: nil)
            let body = (["version: STSv1", "mode: testing"] + patterns.map { "mx: \($0)" } + ["max_age: 604800"])
                .joined(separator: "\n") + "\n"
            let added = [ZoneRecord(owner: "_mta-sts.\(d)", type: "TXT", data: ZoneText.quoted(["v=STSv1; id=\(id)"])),
                         ZoneRecord(owner: "mta-sts.\(d)", type: "A", data: addresses.httpsIP)]
            guard let pem = try certificates.chainPEM(host: "mta-sts.\(d)", kind: .valid, serial: Self.serial(row)) else { continue }
            policyFiles["mta-sts.\(d)"] = body
            certificateFiles["mta-sts.\(d)"] = pem
            mxRecomputed.insert(d)
            outcomes[d] = Outcome(records: own + added,
                                  truth: row.replaced(scenario: .validTesting, stsRecord: "valid", stsID: id, policyStatus: "valid",
                                                      mode: "testing", maxAge: 604_800, mxCoverage: "all", errorCode: nil,
                                                      delivery: "ok"),
                                  transitions: [Transition(.adopted, "absent", "working")])
            counts[.adopt, default: 0] += 1
        }

        // Renewals: the expired certificate replaced by a valid one; the policy is served again.
        for row in expired where counts[.renew, default: 0] < renewCount {
            let d = row.domain
            let host = "mta-sts.\(d)"
            guard let own = records[d], let body = try? String(contentsOfFile: "\(dir)/www/\(host)", encoding: .utf8),
                  let policy = Self.policy(body), policy.mode == "enforce" || policy.mode == "testing",
                  FileManager.default.fileExists(atPath: "\(dir)/certs/\(host).crt"),
                  let pem = try certificates.chainPEM(host: host, kind: .valid, serial: Self.serial(row)) else { continue }
            certificateFiles[host] = pem
            mxRecomputed.insert(d)
            let scenario: Scenario = policy.mode == "enforce" ? .validEnforce : .validTesting
            outcomes[d] = Outcome(records: own,
                                  truth: row.replaced(scenario: scenario, stsRecord: "valid", stsID: row.stsID,
                                                      policyStatus: "valid", mode: policy.mode, maxAge: policy.maxAge,
                                                      mxCoverage: "all", errorCode: nil, delivery: "ok"),
                                  transitions: [Transition(.policyFixed, FindingCode.certExpired.rawValue, "working")])
            counts[.renew, default: 0] += 1
        }

        // Changes of working deployments, each change taking its share in turn.
        let changes = EvolutionChange.allCases.filter { $0 != .adopt && $0 != .renew }
        var next = 0
        for row in working {
            let d = row.domain
            let host = "mta-sts.\(d)"
            guard let own = records[d], let body = try? String(contentsOfFile: "\(dir)/www/\(host)", encoding: .utf8),
                  let old = Self.policy(body), own.contains(where: { $0.owner == "_mta-sts.\(d)" && $0.type == "TXT" })
            else { continue }
            // Round robin over the changes that still want domains and that fit this one.
            let onProviderA = old.mode == "enforce" && TransitionRules.mxText(old.mx) == Providers.mailAPattern
                && own.filter({ $0.owner == d && $0.type == "MX" }).map(\.data).sorted()
                    == Providers.mailA.enumerated().map { "\(10 * ($0 + 1)) \($1)." }
            let rotation = (0..<changes.count).map { changes[(next + $0) % changes.count] }
            guard let change = rotation.first(where: { change in
                counts[change, default: 0] < workingCount
                    && (change != .certExpire || groups[host] != nil) && (change != .mxMove || onProviderA)
            }) else { continue }
            var outcome = Outcome(records: own, truth: row, transitions: [])
            let oldText = TransitionRules.policyText(mode: old.mode.flatMap(PolicyMode.init(rawValue:)), maxAge: old.maxAge, mx: old.mx)
            func newPolicy(_ text: String, keepID: Bool) {
                policyFiles[host] = text
                let now = Self.policy(text)!
                outcome.truth = outcome.truth.with(mode: now.mode, maxAge: now.maxAge)
                if !keepID { renumber() }
                let nowText = TransitionRules.policyText(mode: now.mode.flatMap(PolicyMode.init(rawValue:)), maxAge: now.maxAge, mx: now.mx)
                guard nowText != oldText else {
                    // Nothing `diff` compares changed (the edits above always change something;
                    // kept so that the truth stays exact if one ever does not): a new id is
                    // exactly `id-changed-policy-unchanged`.
                    if !keepID {
                        outcome.transitions.append(Transition(.idChangedPolicyUnchanged, row.stsID ?? "", outcome.truth.stsID ?? ""))
                    }
                    return
                }
                if now.mode != old.mode { outcome.transitions.append(Transition(.modeChanged, old.mode ?? "", now.mode ?? "")) }
                if now.maxAge != old.maxAge {
                    outcome.transitions.append(Transition(.maxAgeChanged, String(old.maxAge ?? 0), String(now.maxAge ?? 0)))
                }
                let (mxOld, mxNow) = (TransitionRules.mxText(old.mx), TransitionRules.mxText(now.mx))
                if mxOld != mxNow { outcome.transitions.append(Transition(.mxChanged, mxOld, mxNow)) }
                if keepID { outcome.transitions.append(Transition(.policyChangedIDUnchanged, oldText, nowText)) }
            }
            func renumber() {
                let id = Self.newID(&rng, not: row.stsID)
                outcome.records = outcome.records.map { record in
                    record.owner == "_mta-sts.\(d)" && record.type == "TXT"
                        ? ZoneRecord(owner: record.owner, type: "TXT", data: ZoneText.quoted(["v=STSv1; id=\(id)"])) : record
                }
                outcome.truth = outcome.truth.with(stsID: id)
            }
            let otherMode = old.mode == "enforce" ? "testing" : "enforce"
            switch change {
            case .adopt, .renew: continue
            case .drop:
                outcome.records.removeAll { $0.owner == "_mta-sts.\(d)" || $0.owner == host }
                policyFiles[host] = .some(nil)
                let scenario: Scenario = row.tlsrptRecord == "valid" ? .mxOnlyTLSRPT : .mxOnly
                outcome.truth = row.replaced(scenario: scenario, stsRecord: "absent", stsID: nil, policyStatus: nil, mode: nil,
                                             maxAge: nil, mxCoverage: nil, errorCode: nil, delivery: nil)
                outcome.transitions = [Transition(.dropped, "working", "absent")]
            case .modeChange:
                newPolicy(Self.setField(body, "mode", otherMode), keepID: false)
                outcome.truth = outcome.truth.with(scenario: otherMode == "enforce" ? .validEnforce : .validTesting)
            case .maxAge:
                newPolicy(Self.setField(body, "max_age", String(Self.otherMaxAge(old.maxAge, &rng))), keepID: false)
            case .mxList:
                newPolicy(Self.addMX(body, Self.newPattern(old.mx, domain: d)), keepID: false)
            case .bodyKeepID:
                if rng.below(2) == 0 {
                    newPolicy(Self.setField(body, "max_age", String(Self.otherMaxAge(old.maxAge, &rng))), keepID: true)
                } else {
                    newPolicy(Self.setField(body, "mode", otherMode), keepID: true)
                    outcome.truth = outcome.truth.with(scenario: otherMode == "enforce" ? .validEnforce : .validTesting)
                }
            case .idOnly:
                renumber()
                outcome.transitions = [Transition(.idChangedPolicyUnchanged, row.stsID ?? "", outcome.truth.stsID ?? "")]
            case .certExpire:
                guard let group = groups[host],
                      let pem = try certificates.chainPEM(host: host, kind: .expired, serial: Self.serial(row)) else { continue }
                groupRemovals[group, default: []].append(host)
                certificateFiles[host] = pem
                outcome.truth = row.replaced(scenario: .fetchCertExpired, stsRecord: "valid", stsID: row.stsID,
                                             policyStatus: "fetch-error", mode: nil, maxAge: nil, mxCoverage: nil,
                                             errorCode: FindingCode.certExpired.rawValue, delivery: nil)
                outcome.transitions = [Transition(.policyBroken, "working", FindingCode.certExpired.rawValue)]
            case .mxMove:
                outcome.records.removeAll { $0.owner == d && $0.type == "MX" }
                outcome.records.append(ZoneRecord(owner: d, type: "MX", data: "10 \(Providers.mailB[0])."))
                outcome.truth = row.replaced(scenario: .mxCoverageNone, stsRecord: "valid", stsID: row.stsID,
                                             policyStatus: "valid", mode: row.mode, maxAge: row.maxAge, mxCoverage: "none",
                                             errorCode: FindingCode.mxNotCovered.rawValue, delivery: "fails")
                mxRecomputed.insert(d)
                outcome.transitions = [Transition(.deliveryChanged, "ok", "fails")]
            }
            outcomes[d] = outcome
            counts[change, default: 0] += 1
            next += 1
        }

        try write(outcomes: outcomes, manifest: manifest, truth: truth, addresses: addresses, zones: zones,
                  policyFiles: policyFiles, certificateFiles: certificateFiles, groupRemovals: groupRemovals,
                  mxRecomputed: mxRecomputed)
        let transitionCount = outcomes.values.map(\.transitions.count).reduce(0, +)
        return WorldEvolutionSummary(changes: EvolutionChange.allCases.map { ($0.rawValue, counts[$0, default: 0]) },
                                     transitions: transitionCount, seconds: Date().timeIntervalSince(started))
    }

    // swiftlint:disable:next function_parameter_count
    private func write(outcomes: [String: Outcome], manifest: WorldManifest, truth: [TruthRow], addresses: WorldAddresses,
                       zones: ZoneRewriter, policyFiles: [String: String?], certificateFiles: [String: String],
                       groupRemovals: [String: [String]], mxRecomputed: Set<String>) throws {
        let dir = directory.path
        for (host, body) in policyFiles {
            let path = "\(dir)/www/\(host)"
            if let body { try FileSink.write(Array(body.utf8), to: path) } else { try? FileManager.default.removeItem(atPath: path) }
        }
        for (host, pem) in certificateFiles { try FileSink.write(Array(pem.utf8), to: "\(dir)/certs/\(host).crt") }
        for (file, hosts) in groupRemovals {
            let path = "\(dir)/\(file)"
            let drop = Set(hosts.map { "server_name \($0);" })
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let kept = text.split(separator: "\n").filter { !drop.contains(String($0)) }.joined(separator: "\n") + "\n"
            try FileSink.write(Array(kept.utf8), to: path)
        }
        try zones.rewrite(replacing: outcomes.mapValues(\.records))

        let truthSink = try FileSink(path: "\(dir)/\(manifest.truthFile).new")
        truthSink.write(TruthFile.headerLine)
        for row in truth { truthSink.write(TruthFile.line(outcomes[row.domain]?.truth ?? row)) }
        try truthSink.close()
        try Self.replace("\(dir)/\(manifest.truthFile)")

        // mx-hosts.csv: domains no longer probed lose their rows; adopters and movers get theirs.
        let mxFile = manifest.mxHostsFile ?? MXHostTruth.fileName
        let mxURL = directory.appendingPathComponent(mxFile)
        if FileManager.default.fileExists(atPath: mxURL.path) {
            var rows = try MXHostTruth.read(mxURL).filter { row in
                guard let outcome = outcomes[row.domain] else { return true }
                return outcome.truth.delivery != nil && !mxRecomputed.contains(row.domain)
            }
            for domain in mxRecomputed.sorted() {
                guard let outcome = outcomes[domain] else { continue }
                var plan = DomainPlan()
                // Provider T's per-tenant name lies outside the domain: its address is the provider's.
                plan.records = outcome.records + [ZoneRecord(owner: Providers.tenantMX(domain), type: "A", data: addresses.tenantMailIP)]
                // The domain's own MX hosts have valid certificates (as every plain deployment's).
                plan.mailHosts = outcome.records.filter { $0.type == "A" && $0.owner.hasSuffix("." + domain) }
                    .map { MailHostPlan(host: $0.owner) }
                rows += MXHostTruth.hosts(of: domain, plan: plan, addresses: addresses)
            }
            let sink = try FileSink(path: mxURL.path + ".new")
            sink.write(CSV.join(MXHostTruth.header))
            for row in rows { sink.write(CSV.join(row.cells)) }
            try sink.close()
            try Self.replace(mxURL.path)
        }

        let sink = try FileSink(path: "\(dir)/\(Self.transitionsFile).new")
        sink.write(CSV.join(Self.transitionsHeader))
        let planted = outcomes.flatMap { domain, outcome in outcome.transitions.map { (domain, $0) } }
            .sorted { (TransitionKind.allCases.firstIndex(of: $0.1.kind)!, $0.0) < (TransitionKind.allCases.firstIndex(of: $1.1.kind)!, $1.0) }
        for (domain, transition) in planted {
            sink.write(CSV.join([domain, transition.kind.rawValue, transition.before, transition.after]))
        }
        try sink.close()
        try Self.replace("\(dir)/\(Self.transitionsFile)")
    }

    /// Reads `transitions.csv` of a world: `(domain, kind, before, after)` rows.
    public static func readTransitions(_ directory: URL) throws -> [[String]] {
        let url = directory.appendingPathComponent(transitionsFile)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw WorldError.io("cannot read \(url.path): run `stsscan world evolve` first")
        }
        let lines = text.split(separator: "\n").map { CSV.split(String($0)) }
        guard lines.first == transitionsHeader else { throw WorldError.badTruthFile(url.path, "unexpected header") }
        return Array(lines.dropFirst())
    }

    private static func replace(_ path: String) throws {
        guard rename(path + ".new", path) == 0 else { throw WorldError.io("cannot replace \(path): errno \(errno)") }
    }

    /// `hosts/cert-group-*.conf` file of each of `hosts` that is in a certificate group.
    private func certificateGroups(of hosts: Set<String>) throws -> [String: String] {
        let hostsDir = directory.appendingPathComponent("hosts").path
        var found: [String: String] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: hostsDir)) ?? [] where file.hasPrefix("cert-group-") {
            let text = try String(contentsOfFile: "\(hostsDir)/\(file)", encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("server_name ") {
                let host = String(line.dropFirst("server_name ".count).dropLast())
                if hosts.contains(host) { found[host] = "hosts/\(file)" }
            }
        }
        return found
    }

    /// The policy patterns of a domain whose only records are MX records on provider A or B.
    private static func providerPatterns(_ records: [ZoneRecord], domain: String) -> [String]? {
        guard !records.isEmpty, records.allSatisfy({ $0.owner == domain && $0.type == "MX" }) else { return nil }
        let hosts = Set(records.compactMap { $0.data.split(separator: " ").last.map { String($0.dropLast()) } })
        if hosts == Set(Providers.mailA) { return [Providers.mailAPattern] }
        if hosts == Set(Providers.mailB) { return Providers.mailB }
        return nil
    }

    /// mode, max_age and mx patterns of a valid policy body, nil when it is not valid.
    private static func policy(_ body: String) -> (mode: String?, maxAge: Int?, mx: [String])? {
        let verdict = PolicyParser.evaluate(Array(body.utf8))
        guard verdict.isValid else { return nil }
        return (verdict.mode?.rawValue, verdict.maxAge, verdict.mx)
    }

    private static func eol(_ body: String) -> String { body.contains("\r\n") ? "\r\n" : "\n" }

    /// The body with the first `name:` line's value replaced.
    private static func setField(_ body: String, _ name: String, _ value: String) -> String {
        let eol = eol(body)
        var lines = body.components(separatedBy: eol)
        if let index = lines.firstIndex(where: { $0.hasPrefix("\(name):") }) { lines[index] = "\(name): \(value)" }
        return lines.joined(separator: eol)
    }

    /// The body with one more `mx:` line after the last one.
    private static func addMX(_ body: String, _ pattern: String) -> String {
        let eol = eol(body)
        var lines = body.components(separatedBy: eol)
        let index = (lines.lastIndex { $0.hasPrefix("mx:") }).map { $0 + 1 } ?? 2
        lines.insert("mx: \(pattern)", at: index)
        return lines.joined(separator: eol)
    }

    /// An mx pattern for `domain` that `listed` does not hold (compared as `diff` does), so
    /// adding it changes the policy's mx list: a domain changed again by a later evolve step
    /// gets `backup-mx2.`, `backup-mx3.` ..., never a duplicate line.
    static func newPattern(_ listed: [String], domain: String) -> String {
        let present = Set(TransitionRules.mxText(listed).split(separator: ",").map(String.init))
        var index = 1
        while true {
            let pattern = "backup-mx\(index == 1 ? "" : String(index)).\(domain)"
            if !present.contains(pattern) { return pattern }
            index += 1
        }
    }

    private static func otherMaxAge(_ old: Int?, _ rng: inout SplitMix64) -> Int {
        let choices: [Int] = [86_400, 1_209_600, 2_592_000, 31_557_600].filter { $0 != old }
        return choices[rng.below(choices.count)]
    }

    /// A new policy id (`YYYYMMDDThhmmss`-like, as the builder's), different from `old`.
    private static func newID(_ rng: inout SplitMix64, not old: String?) -> String {
        while true {
            let time = String(rng.below(1_000_000))
            let id = "\(20_260_101 + rng.below(30_000))T" + String(repeating: "0", count: 6 - time.count) + time
            if id != old { return id }
        }
    }

    /// A certificate serial for a domain's new certificate, apart from the builder's.
    private static func serial(_ row: TruthRow) -> UInt64 { (UInt64(row.rank) << 20) | 0xE70 }
}

extension TruthRow {
    /// A copy with every field a deployment change touches given anew.
    // swiftlint:disable:next function_parameter_count
    func replaced(scenario: Scenario, stsRecord: String, stsID: String?, policyStatus: String?, mode: String?, maxAge: Int?,
                  mxCoverage: String?, errorCode: String?, delivery: String?) -> TruthRow {
        TruthRow(domain: domain, rank: rank, scenario: scenario.rawValue, mxStatus: mxStatus, stsRecord: stsRecord,
                 stsID: stsID, policyStatus: policyStatus, mode: mode, maxAge: maxAge, mxCoverage: mxCoverage,
                 tlsrptRecord: tlsrptRecord, errorCode: errorCode, delivery: delivery)
    }

    /// A copy with the scenario, id, mode or max_age replaced (nil keeps the field).
    func with(scenario: Scenario? = nil, stsID: String? = nil, mode: String? = nil, maxAge: Int? = nil) -> TruthRow {
        TruthRow(domain: domain, rank: rank, scenario: scenario?.rawValue ?? self.scenario, mxStatus: mxStatus,
                 stsRecord: stsRecord, stsID: stsID ?? self.stsID, policyStatus: policyStatus, mode: mode ?? self.mode,
                 maxAge: maxAge ?? self.maxAge, mxCoverage: mxCoverage, tlsrptRecord: tlsrptRecord,
                 errorCode: errorCode, delivery: delivery)
    }
}
