import Foundation
import GRDB
import STSWorld
import Testing

/// The real binary scanning the simulated internet: every stored outcome must equal the
/// world's ground truth, and faults (servers dying mid-scan, kill -9) must lose and
/// duplicate nothing. Each test runs its own world on its own address block. Skipped when
/// the servers are not installed.
@Suite(.serialized, .enabled(if: (try? WorldServers.checkInstalled()) != nil,
                             "needs apt packages nsd dnsdist nginx-light libnginx-mod-http-echo unbound postfix (or run scripts/deps.sh)"))
struct WorldScanEndToEndTests {
    /// Issue 4 acceptance: all scenarios, 10k domains, 20% adoption, field by field; since
    /// issue 11 through the world's Unbound with the defaults of `stsscan scan`.
    @Test func scanMatchesGroundTruthFieldByField() async throws {
        // The one test world with the IPv6-only MX host (`[::1]:25` cannot be shared).
        let world = try await TestWorld.started(domains: 10_000, adoption: 0.2, seed: 4242, addressBlock: 71,
                                                buildOptions: ["--ipv6-mx"])
        defer { world.stop() }
        let run = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet"])
        #expect(run.status == 0, "\(run.err)")
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
        let scenarios = Set(try world.truth().map(\.scenario))
        #expect(scenarios.count > 60, "the world should exercise every scenario")
        try expectMXProbesMatchTruth(world, summary: run.err)
    }

    /// Issue 10 acceptance: every MX host a default scan probes has the planted outcome, and
    /// the scan probed each distinct host exactly once.
    func expectMXProbesMatchTruth(_ world: TestWorld, summary: String) throws {
        let truth = try world.mxHostTruth()
        let probes = try world.database().read { db in
            try Row.fetchAll(db, sql: "SELECT host, address, outcome, attempts FROM mx_probes WHERE scan_id = (SELECT max(id) FROM scans)")
        }
        var stored: [String: (address: String?, outcome: String, attempts: String?)] = [:]
        for row in probes { stored[row["host"]] = (row["address"], row["outcome"], row["attempts"]) }
        var mismatches: [String] = []
        for expected in truth {
            guard let got = stored[expected.host] else { mismatches.append("\(expected.host) (\(expected.domain)): not probed"); continue }
            let want = expected.outcome?.rawValue ?? "ok"
            if got.outcome != want { mismatches.append("\(expected.host) (\(expected.domain)): want \(want) got \(got.outcome)") }
            if !expected.address.isEmpty, got.address != expected.address {
                mismatches.append("\(expected.host): probed \(got.address ?? "nothing"), want \(expected.address)")
            }
            // Every address a sender tries, in order (RFC 5321 §5.1; issue 20).
            if let want = expected.attempts, (got.attempts ?? "") != want {
                mismatches.append("\(expected.host): attempts '\(got.attempts ?? "")', want '\(want)'")
            }
        }
        let distinct = Set(truth.map(\.host))
        #expect(mismatches.isEmpty, "\(mismatches.count) MX mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
        #expect(probes.count == distinct.count, "one mx_probes row per distinct MX host")
        // The summary counts STARTTLS probes, one per address tried (hosts without an address
        // or named by an IP literal get a row but no SMTP connection, and no attempts).
        let connected = probes.reduce(0) { count, row in
            count + ((row["attempts"] as String?)?.components(separatedBy: ", ").count ?? 0)
        }
        #expect(summary.contains("MX probes      \(connected) STARTTLS"), "\(summary)")
        try expectPolicyAttemptsMatchTruth(world)
    }

    /// Issue 20: a policy host whose first A address refuses is fetched from its second, and
    /// both attempts are kept; every other fetch tried one address.
    func expectPolicyAttemptsMatchTruth(_ world: TestWorld) throws {
        let https = String(world.manifest.https.split(separator: ":")[0])
        let dead = Set(try world.truth().filter { $0.scenario == Scenario.validHostFirstAddressDead.rawValue }.map(\.domain))
        #expect(!dead.isEmpty)
        let rows = try world.database().read { db in
            try Row.fetchAll(db, sql: """
                SELECT domain, policy_attempts FROM domain_results
                WHERE scan_id = (SELECT max(id) FROM scans) AND policy_attempts IS NOT NULL
                """)
        }
        for row in rows {
            let domain: String = row["domain"]
            let attempts: String = row["policy_attempts"]
            if dead.contains(domain) {
                #expect(attempts == "\(world.manifest.refused) connect-refused, \(https) 200", "\(domain): \(attempts)")
            } else {
                #expect(!attempts.contains(","), "\(domain): \(attempts)")
            }
        }
        #expect(rows.filter { dead.contains($0["domain"]) }.count == dead.count)
    }

    /// Without CAP_SYS_NICE the engine thread keeps the normal priority, and the summary
    /// says so and what to do (as root, `setpriv` drops the capability for the run).
    @Test func summaryNotesARefusedLoopPriority() async throws {
        let world = try await TestWorld.started(domains: 300, adoption: 0.2, seed: 11, addressBlock: 75)
        defer { world.stop() }
        let launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--bounding-set", "-sys_nice", "--inh-caps", "-sys_nice"] : []
        let refused = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath,
                                             "--quiet"], launcher: launcher)
        #expect(refused.status == 0, "\(refused.err)")
        #expect(refused.err.contains("normal priority: nice -10 needs root or CAP_SYS_NICE"), "\(refused.err)")
        try expectExactlyOneRowPerEntry(world, entries: 300)
        if Self.mayRaisePriority() {
            let other = world.directory.appendingPathComponent("granted.sqlite").path
            let granted = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", other, "--quiet"])
            #expect(granted.status == 0 && !granted.err.contains("normal priority"), "\(granted.err)")
        }
    }

    /// Whether this process holds CAP_SYS_NICE (bit 23 of CapEff in /proc/self/status), as a
    /// child it starts then does: root in a container may lack it.
    static func mayRaisePriority() -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << 23) != 0
    }

    /// Fault: the DNS server dies mid-scan. The scan completes and every domain has a row.
    @Test func dnsServerStoppedMidScan() async throws {
        let world = try await TestWorld.started(domains: 4000, adoption: 0.2, seed: 7, addressBlock: 72)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "100", "--quiet"])
        try await scan.waitForRows(in: world.databasePath, atLeast: 200)  // mid-scan: 200 of 4000 stored
        kill(-(try world.pid(of: "dnsdist")), SIGKILL)  // its process group: see httpsServerStoppedMidScan
        let (status, output) = try await scan.wait()
        #expect(status == 0, "\(output)")
        try expectExactlyOneRowPerEntry(world, entries: 4000)
        // Through the world's Unbound the loss shows as SERVFAIL or a timeout; asked directly
        // a dead server answers on loopback with ICMP port unreachable (c-ares: connection
        // refused, mx_status 'error'). Either way it is recorded.
        let failed = try await world.database().read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE mx_status IN ('timeout', 'error', 'servfail')") ?? 0
        }
        #expect(failed > 0, "domains scanned after the DNS server died are recorded as failed lookups")
    }

    /// Fault: the HTTPS server dies mid-scan: fetches fail, rows still complete.
    @Test func httpsServerStoppedMidScan() async throws {
        let world = try await TestWorld.started(domains: 4000, adoption: 0.5, seed: 8, addressBlock: 73)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "100", "--quiet"])
        try await scan.waitForRows(in: world.databasePath, atLeast: 200)  // mid-scan: 200 of 4000 stored
        // The whole server: each runs in its own session (process group = master pid), and a
        // lone SIGKILL to the master would leave its workers serving, and listening after the test.
        kill(-(try world.pid(of: "nginx")), SIGKILL)
        let (status, output) = try await scan.wait()
        #expect(status == 0, "\(output)")
        try expectExactlyOneRowPerEntry(world, entries: 4000)
        let refused = try await world.database().read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE error_code = 'connect-refused'") ?? 0
        }
        #expect(refused > 0)
    }

    /// Fault: the MTA dies mid-scan: hosts probed after it get connection findings, every
    /// domain still gets its row, and every probed policy domain still gets a verdict.
    @Test func mailServerStoppedMidScan() async throws {
        let world = try await TestWorld.started(domains: 4000, adoption: 0.5, seed: 10, addressBlock: 76)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "100", "--quiet"])
        try await scan.waitForRows(in: world.databasePath, atLeast: 200)  // mid-scan: 200 of 4000 stored
        kill(-(try world.pid(of: "postfix")), SIGKILL) // the master leads its process group (smtpd children)
        let (status, output) = try await scan.wait()
        #expect(status == 0, "\(output)")
        try expectExactlyOneRowPerEntry(world, entries: 4000)
        let (refused, unjudged) = try await world.database().read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM mx_probes WHERE outcome = 'mx-connect-refused'") ?? 0,
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM results r WHERE policy_status = 'valid' AND mode IN ('enforce', 'testing')
                AND delivery IS NULL AND EXISTS (SELECT 1 FROM mx_hosts m WHERE m.scan_id = r.scan_id AND m.position = r.position)
                """) ?? 0)
        }
        #expect(refused > 0, "hosts probed after the MTA died are recorded as refused")
        #expect(unjudged == 0, "every probed policy domain has a delivery verdict")
    }

    /// kill -9 at an arbitrary moment, then --resume: nothing lost, nothing duplicated.
    @Test func killNineThenResumeLosesAndDuplicatesNothing() async throws {
        let world = try await TestWorld.started(domains: 6000, adoption: 0.2, seed: 9, addressBlock: 74)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "200", "--quiet"])
        try await scan.waitForRows(in: world.databasePath, atLeast: 500)
        kill(scan.process.processIdentifier, SIGKILL)
        _ = try await scan.wait()
        let partial = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(partial < 6000, "the kill should interrupt the scan")

        let resumed = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath,
                                             "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.err)")
        try expectExactlyOneRowPerEntry(world, entries: 6000)
        let scans = try world.database().read { db in
            try Row.fetchAll(db, sql: "SELECT id, finished_at, domains_total FROM scans")
        }
        #expect(scans.count == 1)
        #expect((scans.first?["finished_at"] as String?) != nil)
        #expect((scans.first?["domains_total"] as Int?) == 6000)
    }

    /// Every input position 0..<entries has exactly one row in the (single) scan.
    func expectExactlyOneRowPerEntry(_ world: TestWorld, entries: Int) throws {
        let (count, distinct, minimum, maximum) = try world.database().read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, count(DISTINCT position) AS d, min(position) AS lo, max(position) AS hi
                FROM domain_results WHERE scan_id = (SELECT max(id) FROM scans)
                """)!
            return (row["n"] as Int, row["d"] as Int, row["lo"] as Int?, row["hi"] as Int?)
        }
        #expect(count == entries && distinct == entries && minimum == 0 && maximum == entries - 1)
    }
}
