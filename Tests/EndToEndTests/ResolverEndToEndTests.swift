import Foundation
import GRDB
import STSStore
import STSWorld
import Testing

/// Issue 11: the world's recursive resolver, hanging hosts and faults on the resolver path,
/// all scanned with the defaults of `stsscan scan`. Address blocks 110-119.
@Suite(.serialized) struct ResolverEndToEndTests {
    /// Acceptance: 10,000 domains, 20% adoption, 1% of the adopters' policy hosts hang (all
    /// policy hosts share one address). With default options the scan ends within the fetch
    /// timeout plus 1.5 times the same world without hanging hosts, and every row equals
    /// the ground truth.
    @Test func hangingHostsCostOnlyTheirOwnTimeout() async throws {
        let fetchTimeout = 20.0  // `stsscan scan`'s default
        let calm = try await TestWorld.started(domains: 10_000, adoption: 0.2, seed: 4242, addressBlock: 110,
                                               buildOptions: ["--hanging-hosts", "0"])
        defer { calm.stop() }
        let calmSeconds = try await timedScan(calm)
        try expectTruth(calm)

        let hanging = try await TestWorld.started(domains: 10_000, adoption: 0.2, seed: 4242, addressBlock: 111,
                                                  buildOptions: ["--hanging-hosts", "0.01"])
        defer { hanging.stop() }
        let hung = try hanging.truth().filter { $0.scenario == "fetch-slow-sleep" }.count
        #expect(hung == 20, "1% of 2,000 adopters hang")
        let hangingSeconds = try await timedScan(hanging)
        try expectTruth(hanging)
        print("[e2e] hanging hosts: \(String(format: "%.1f", hangingSeconds)) s with \(hung) hung hosts, "
              + "\(String(format: "%.1f", calmSeconds)) s without")
        #expect(hangingSeconds <= fetchTimeout + 1.5 * calmSeconds,
                "hanging world took \(hangingSeconds) s; limit \(fetchTimeout) + 1.5 x \(calmSeconds) s")
    }

    /// Fault: the world's Unbound is killed mid-scan and started again. Domains asked while
    /// it was away get recorded DNS errors, the scan goes on once it is back, and every
    /// domain has exactly one row.
    @Test func resolverKilledAndRestartedMidScan() async throws {
        let world = try await TestWorld.started(domains: 6000, adoption: 0.2, seed: 12, addressBlock: 112)
        defer { world.stop() }
        // 18,000 queries at 2,000/s: the scan outlasts the outage (failures come back at once
        // while the resolver is away, so an unpaced scan would end during it).
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--rate", "2000", "--quiet"])
        try await scan.waitForRows(in: world.databasePath, atLeast: 300)
        kill(-(try world.pid(of: "unbound")), SIGKILL)
        try await Task.sleep(for: .milliseconds(1500))  // the outage lasts 1.5 s
        let restart = try await StsscanBinary.runBlocking(["world", "start", world.directory.path, "--only", "unbound"])
        #expect(restart.status == 0, "\(restart.err)")
        let (status, output) = try await scan.wait()
        #expect(status == 0, "\(output)")
        try expectExactlyOneRowPerEntry(world, entries: 6000)
        let (failed, lastOK) = try await world.database().read { db in
            let failed = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM results WHERE mx_status IN ('timeout', 'error', 'servfail')
                """) ?? 0
            // Domains scanned after the restart resolve again.
            let lastOK = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM domain_results WHERE position >= 5000 AND mx_status = 'ok'
                """) ?? 0
            return (failed, lastOK)
        }
        #expect(failed > 0, "domains asked while the resolver was away are recorded as failed lookups")
        #expect(lastOK > 500, "the scan resolves again once the resolver is back (\(lastOK) of the last 1000 ok)")
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        let wrong = Self.notExplainedByDNSFailures(mismatches)
        #expect(wrong.isEmpty, "only DNS failures may differ from the truth:\n\(wrong.prefix(20).joined(separator: "\n"))")
    }

    /// Fault: dnsdist drops 10% of all queries at random. Unbound retries or answers
    /// SERVFAIL; every domain gets exactly one row, and where the outcome differs from the
    /// truth it is a recorded DNS failure, never a wrong value.
    @Test func tenPercentOfQueriesDropped() async throws {
        let world = try await Blocking.run { () -> TestWorld in
            let world = try TestWorld(domains: 4000, adoption: 0.2, seed: 13, addressBlock: 113)
            _ = try StsscanBinary.run(["world", "stop", world.directory.path])
            let start = try StsscanBinary.run(["world", "start", world.directory.path, "--drop-share", "0.1"])
            guard start.status == 0 else { world.stop(); throw TestWorld.Failure("restart: \(start.err)") }
            return world
        }
        defer { world.stop() }
        let run = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet"])
        #expect(run.status == 0, "\(run.err)")
        try expectExactlyOneRowPerEntry(world, entries: 4000)
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        let wrong = Self.notExplainedByDNSFailures(mismatches)
        #expect(wrong.isEmpty, "only DNS failures may differ from the truth:\n\(wrong.prefix(20).joined(separator: "\n"))")
        let errors = try await world.database().read { db in
            try Int.fetchOne(db, sql: "SELECT errors FROM scans ORDER BY id DESC LIMIT 1") ?? 0
        }
        let recorded = try await world.database().read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM results WHERE scan_id = (SELECT max(id) FROM scans) AND error_code IS NOT NULL
                """) ?? 0
        }
        #expect(errors == recorded, "the scan's error count matches the rows with errors")
        print("[e2e] 10% of queries dropped: \(mismatches.count) fields differ from truth, all DNS failures; \(recorded) rows with errors")
    }

    /// `stsscan resolver start` forwarding to a world (never to the internet), then a plain
    /// `stsscan scan` with defaults through it: every row equals the truth; `stop` ends it.
    @Test func localResolverStartScanStop() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.2, seed: 14, addressBlock: 114)
        defer { world.stop() }
        let dir = world.directory.appendingPathComponent("resolver").path
        let listen = "127.114.53.9:5300"
        let refused = try await StsscanBinary.runBlocking(["resolver", "start", dir, "--listen", "10.0.0.1:5300"])
        #expect(refused.status != 0 && refused.err.contains("loopback"), "\(refused.err)")
        let start = try await StsscanBinary.runBlocking(["resolver", "start", dir, "--listen", listen,
                                                         "--forward", world.manifest.dns.dnsdist])
        #expect(start.status == 0, "\(start.err)")
        #expect(start.out.contains("--resolver \(listen)"), "\(start.out)")
        let config = try String(contentsOfFile: dir + "/unbound.conf", encoding: .utf8)
        #expect(config.contains("forward-addr: \(world.manifest.dns.dnsdist.replacingOccurrences(of: ":", with: "@"))"))
        #expect(config.contains("module-config: \"iterator\"") && config.contains("ratelimit: 0"))
        let again = try await StsscanBinary.runBlocking(["resolver", "start", dir, "--listen", listen])
        #expect(again.status != 0 && again.err.contains("already running"), "\(again.err)")

        let scan = try await StsscanBinary.runBlocking(["scan", world.domainsPath, "--db", world.databasePath, "--quiet",
                                                        "--resolver", listen,
                                                        "--ca-file", world.directory.appendingPathComponent("ca.pem").path])
        #expect(scan.status == 0, "\(scan.err)")
        #expect(scan.err.contains("DNS in flight  adaptive"), "\(scan.err)")
        try expectTruth(world)
        let options = try await world.database().read { db in
            try String.fetchOne(db, sql: "SELECT options FROM scans ORDER BY id DESC LIMIT 1") ?? ""
        }
        #expect(options.contains("\"dns_in_flight\":\"adaptive\"") && options.contains("\"dns_window_final\""), "\(options)")

        let stop = try await StsscanBinary.runBlocking(["resolver", "stop", dir])
        #expect(stop.status == 0 && stop.out.contains("resolver stopped"), "\(stop.out)")
        let stopped = try await StsscanBinary.runBlocking(["resolver", "stop", dir])
        #expect(stopped.out.contains("no resolver was running"), "\(stopped.out)")
    }

    /// `scan` and `world scan` run with the same defaults: their recorded options differ
    /// only in what the world dictates (resolver, CA) and the world's notes.
    @Test func worldScanHasTheDefaultsOfScan() async throws {
        let world = try await TestWorld.started(domains: 200, adoption: 0.2, seed: 15, addressBlock: 115)
        defer { world.stop() }
        let plainDB = world.directory.appendingPathComponent("plain.sqlite").path
        let worldRun = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet"])
        #expect(worldRun.status == 0, "\(worldRun.err)")
        let plainRun = try await StsscanBinary.runBlocking(["scan", world.domainsPath, "--db", plainDB, "--quiet",
                                                            "--resolver", world.manifest.dns.unbound ?? "",
                                                            "--ca-file", world.directory.appendingPathComponent("ca.pem").path])
        #expect(plainRun.status == 0, "\(plainRun.err)")
        func options(_ path: String) throws -> [String: String] {
            let text = try world.database(path).read { db in
                try String.fetchOne(db, sql: "SELECT options FROM scans ORDER BY id DESC LIMIT 1") ?? "{}"
            }
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        }
        // What the engine chose while scanning differs from run to run; the world's notes
        // name the world.
        let learnt = ShardMerger.runFactKeys.union(["world", "world_seed", "world_resolver"])
        let fromWorld = try options(world.databasePath).filter { !learnt.contains($0.key) }
        let fromScan = try options(plainDB).filter { !learnt.contains($0.key) }
        #expect(fromWorld == fromScan)
        #expect(fromWorld["per_ip"] == "4" && fromWorld["dns_in_flight"] == "adaptive" && fromWorld["fetch_timeout_ms"] == "20000")
    }

    /// The adaptive DNS window holds 100 ms of authoritative latency behind the world's
    /// Unbound without overloading it: no more timeouts than the names dnsdist drops
    /// (a fixed window of 2,048 had 788 here), and every row as the truth says.
    @Test func adaptiveWindowAtHundredMilliseconds() async throws {
        let world = try await Blocking.run { () -> TestWorld in
            let world = try TestWorld(domains: 20_000, adoption: 0.02, seed: 16, addressBlock: 116)
            _ = try StsscanBinary.run(["world", "stop", world.directory.path])
            let start = try StsscanBinary.run(["world", "start", world.directory.path, "--latency-ms", "100"])
            guard start.status == 0 else { world.stop(); throw TestWorld.Failure("restart: \(start.err)") }
            return world
        }
        defer { world.stop() }
        let run = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath])
        #expect(run.status == 0, "\(run.err)")
        let dropped = try String(contentsOf: world.directory.appendingPathComponent("faults/drop.names"), encoding: .utf8)
            .split(separator: "\n").count
        let timeouts = run.err.range(of: #"\((\d+) lookups timed out"#, options: .regularExpression)
            .flatMap { Int(run.err[$0].dropFirst().prefix { $0.isNumber }) }
        #expect(timeouts != nil && timeouts! <= dropped, "\(run.err)")
        #expect(run.err.contains("DNS in flight  adaptive"), "\(run.err)")
        try expectTruth(world)
    }

    /// The mismatch lines of domains with no recorded DNS lookup failure: a domain may
    /// differ from the truth only because a lookup failed (its MX status, a record status
    /// `error`, or a `*-dns-*` finding shows it), with fields left empty after it.
    static func notExplainedByDNSFailures(_ lines: [String]) -> [String] {
        let byDomain = Dictionary(grouping: lines) { $0.split(separator: " ").first.map(String.init) ?? "" }
        return byDomain.values.filter { !$0.contains(where: isDNSFailure) }.flatMap { $0 }
    }

    static func isDNSFailure(_ line: String) -> Bool {
        line.range(of: #"mx_status: want '[a-z-]*' got '(servfail|timeout|error)'"#, options: .regularExpression) != nil
            || line.range(of: #"(sts_record|tlsrpt_record): want '[a-z-]*' got 'error'"#, options: .regularExpression) != nil
            || line.range(of: #"error_code: want '[a-z0-9-]*' got '[a-z0-9-]+-dns-(servfail|timeout|error)'"#,
                          options: .regularExpression) != nil
    }

    /// `world scan` with default options; seconds the binary ran.
    private func timedScan(_ world: TestWorld) async throws -> Double {
        let started = Date()
        let run = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet"])
        #expect(run.status == 0, "\(run.err)")
        return Date().timeIntervalSince(started)
    }

    private func expectTruth(_ world: TestWorld) throws {
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
    }

    private func expectExactlyOneRowPerEntry(_ world: TestWorld, entries: Int) throws {
        let row = try world.database().read { db in
            try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, count(DISTINCT position) AS d, min(position) AS lo, max(position) AS hi
                FROM domain_results WHERE scan_id = (SELECT max(id) FROM scans)
                """)!
        }
        #expect((row["n"] as Int) == entries && (row["d"] as Int) == entries)
        #expect((row["lo"] as Int?) == 0 && (row["hi"] as Int?) == entries - 1)
    }
}
