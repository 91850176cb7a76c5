import Foundation
import GRDB
import STSWorld
import Testing

/// The real binary scanning the simulated internet: every stored outcome must equal the
/// world's ground truth, and faults (servers dying mid-scan, kill -9) must lose and
/// duplicate nothing. Each test runs its own world on its own address block. Skipped when
/// the servers are not installed.
@Suite(.serialized, .enabled(if: (try? WorldServers.checkInstalled()) != nil,
                             "needs apt packages nsd dnsdist nginx-light libnginx-mod-http-echo (or run scripts/deps.sh)"))
struct WorldScanEndToEndTests {
    static let comparedColumns = ["mx_status", "sts_record", "sts_id", "policy_status", "mode", "max_age",
                                  "mx_coverage", "tlsrpt_record", "error_code"]

    /// Issue 4 acceptance: all scenarios, 10k domains, 20% adoption, field by field.
    @Test func scanMatchesGroundTruthFieldByField() async throws {
        let world = try await TestWorld.started(domains: 10_000, adoption: 0.2, seed: 4242, addressBlock: 71)
        defer { world.stop() }
        let run = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet"])
        #expect(run.status == 0, "\(run.err)")

        let truth = try world.truth()
        let rows = try world.database().read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM results WHERE scan_id = (SELECT max(id) FROM scans)")
        }
        #expect(rows.count == truth.count)
        var stored: [String: Row] = [:]
        for row in rows { stored[row["domain"]] = row }
        var mismatches: [String] = []
        var scenarios = Set<String>()
        for expected in truth {
            scenarios.insert(expected.scenario)
            guard let row = stored[expected.domain] else {
                mismatches.append("\(expected.domain) [\(expected.scenario)]: no row")
                continue
            }
            let want = Dictionary(uniqueKeysWithValues: zip(TruthRow.header, expected.cells))
            for column in Self.comparedColumns {
                let got = (row[column] as DatabaseValue).isNull ? "" : String(describing: row[column] as DatabaseValue)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if got != want[column] {
                    mismatches.append("\(expected.domain) [\(expected.scenario)] \(column): want '\(want[column] ?? "")' got '\(got)'")
                }
            }
            #expect((row["rank"] as Int?) == expected.rank)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
        #expect(scenarios.count > 60, "the world should exercise every scenario")
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
        try await Task.sleep(for: .milliseconds(700))
        kill(-(try world.pid(of: "dnsdist")), SIGKILL)  // its process group: see httpsServerStoppedMidScan
        let (status, output) = try await scan.wait()
        #expect(status == 0, "\(output)")
        try expectExactlyOneRowPerEntry(world, entries: 4000)
        // On loopback a dead server answers with ICMP port unreachable (c-ares: connection
        // refused, mx_status 'error'); elsewhere queries time out. Either way it is recorded.
        let failed = try await world.database().read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM results WHERE mx_status IN ('timeout', 'error')") ?? 0
        }
        #expect(failed > 0, "domains scanned after the DNS server died are recorded as failed lookups")
    }

    /// Fault: the HTTPS server dies mid-scan: fetches fail, rows still complete.
    @Test func httpsServerStoppedMidScan() async throws {
        let world = try await TestWorld.started(domains: 4000, adoption: 0.5, seed: 8, addressBlock: 73)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "100", "--quiet"])
        try await Task.sleep(for: .milliseconds(700))
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

    /// kill -9 at an arbitrary moment, then --resume: nothing lost, nothing duplicated.
    @Test func killNineThenResumeLosesAndDuplicatesNothing() async throws {
        let world = try await TestWorld.started(domains: 6000, adoption: 0.2, seed: 9, addressBlock: 74)
        defer { world.stop() }
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "200", "--quiet"])
        try await Task.sleep(for: .milliseconds(1500))
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
