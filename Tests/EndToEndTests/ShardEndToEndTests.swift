import Foundation
import GRDB
import STSStore
import STSWorld
import Testing

/// Issue 12 acceptance: four `world scan --shard K/4` processes run side by side against one
/// world, `stsscan merge` joins them, and the merged database equals an unsharded scan of
/// the same world row for row in every table (timestamps and durations aside). Also
/// `--resume` of a killed shard, and refusals through the binary. Worlds on address blocks
/// 140 and 141.
@Suite(.serialized, .enabled(if: (try? WorldServers.checkInstalled()) != nil,
                             "needs apt packages nsd dnsdist nginx-light libnginx-mod-http-echo unbound postfix (or run scripts/deps.sh)"))
struct ShardEndToEndTests {
    /// Columns that measure time, not the world: left out of the comparison.
    static let timeColumns: Set<String> = ["scan_id", "scanned_at", "duration_ms", "elapsed_ms", "probed_at"]
    static let tables = ["domain_results", "findings", "mx_hosts", "policy_mx", "raw_records", "policy_bodies", "mx_probes"]

    /// dnsdist itself, not the world's Unbound: a name whose answers dnsdist drops is then
    /// always a timeout (Unbound answers SERVFAIL or times out depending on timing), so two
    /// scans are comparable row by row (as in RepeatedKillEndToEndTests).
    static func resolver(_ world: TestWorld) -> [String] { ["--resolver", world.manifest.dns.dnsdist] }

    @Test func fourShardsInParallelMergeIntoTheUnshardedScan() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.3, seed: 1212, addressBlock: 140)
        defer { world.stop() }
        let dir = world.directory
        // The world's list plus what a real list holds: domains listed again (other spellings
        // too) and entries that are not names, some twice; duplicates must stay in their
        // first occurrence's shard.
        let list = dir.appendingPathComponent("list.csv").path
        let domains = try world.truth().map(\.domain)
        var lines = try String(contentsOfFile: world.domainsPath, encoding: .utf8).split(separator: "\n").map(String.init)
        for (i, domain) in domains.enumerated() where i % 40 == 0 {
            lines.append("\(lines.count + 1),\(i % 80 == 0 ? domain.uppercased() + "." : domain)")
        }
        lines += ["9001,not a domain", "x,bad-rank.example", "9002,-bad-.com", "9003,not a domain", "y,bad-rank.example"]
        try (lines.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let entries = lines.filter { !$0.hasPrefix("rank,") && !$0.isEmpty }.count
        let scanList = ["--list", list] + Self.resolver(world)

        let whole = dir.appendingPathComponent("whole.sqlite").path
        let reference = try await StsscanBinary.runBlocking(["world", "scan", dir.path, "--db", whole, "--quiet"] + scanList)
        #expect(reference.status == 0, "\(reference.err)")

        let shardPaths = (0..<4).map { dir.appendingPathComponent("shard-\($0).sqlite").path }
        let runs = try (0..<4).map { k in
            try BackgroundStsscan(["world", "scan", dir.path, "--db", shardPaths[k], "--shard", "\(k)/4", "--quiet"] + scanList)
        }
        for (k, run) in runs.enumerated() {
            let (status, output) = try await run.wait()
            #expect(status == 0, "shard \(k): \(output)")
        }
        // Each shard: its K/N, its own entries only, positions of the full list.
        var sizes: [Int] = []
        for (k, path) in shardPaths.enumerated() {
            let row = try await world.database(path).read { db in
                try Row.fetchOne(db, sql: """
                    SELECT shard, domains_total, finished_at, (SELECT count(*) FROM domain_results) AS n,
                           (SELECT max(position) FROM domain_results) AS last FROM scans
                    """)!
            }
            #expect(row["shard"] as String? == "\(k)/4" && row["finished_at"] as String? != nil)
            #expect(row["domains_total"] as Int? == row["n"] as Int, "domains_total counts the shard's entries")
            #expect((row["n"] as Int) > 350 && (row["n"] as Int) < 650, "about a quarter of the list")
            sizes.append(row["n"])
        }
        #expect(sizes.reduce(0, +) == entries)
        let duplicates = try await world.database(whole).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM findings WHERE code = 'input-duplicate'") ?? 0
        }
        #expect(duplicates == 50 + 1, "the list's duplicates are marked (the merged scan must match them)")

        let merged = dir.appendingPathComponent("merged.sqlite").path
        let merge = try await StsscanBinary.runBlocking(["merge", merged] + shardPaths.reversed())
        #expect(merge.status == 0, "\(merge.err)")
        #expect(merge.err.contains("merged 4 shards into scan 1"), "\(merge.err)")

        try expectEqualScans(merged, whole, world: world)
        let parts = try await world.database(merged).read { db in try String.fetchAll(db, sql: "SELECT shard FROM scan_parts ORDER BY shard") }
        #expect(parts == ["0/4", "1/4", "2/4", "3/4"])

        // Merging into a database with earlier scans adds one; diff then compares them.
        let again = try await StsscanBinary.runBlocking(["merge", whole] + shardPaths)
        #expect(again.status == 0 && again.err.contains("into scan 2"), "\(again.err)")
        let diff = try await StsscanBinary.runBlocking(["diff", "--db", whole])
        #expect(diff.status == 0, "\(diff.err)")

        // Refused through the binary: a missing shard, naming what to do; nothing written.
        let partial = dir.appendingPathComponent("partial.sqlite").path
        let refused = try await StsscanBinary.runBlocking(["merge", partial] + shardPaths.prefix(3))
        #expect(refused.status != 0 && refused.err.contains("shard 3/4 missing"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    /// A shard killed mid-run continues with `--resume --shard K/N` (another shard or none is
    /// refused), and merges like the uninterrupted one.
    @Test func killedShardResumesPerShard() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.3, seed: 1213, addressBlock: 141)
        defer { world.stop() }
        let dir = world.directory
        // Slowed by a DNS query rate (the same option for every shard: merge requires equal
        // options) so the kill lands mid-run.
        let resolver = Self.resolver(world) + ["--rate", "400"]
        let shardPaths = (0..<2).map { dir.appendingPathComponent("shard-\($0).sqlite").path }
        for (k, path) in shardPaths.enumerated() {
            let run = try await StsscanBinary.runBlocking(["world", "scan", dir.path, "--db", path, "--shard", "\(k)/2", "--quiet"] + resolver)
            #expect(run.status == 0, "\(run.err)")
        }
        let killed = dir.appendingPathComponent("killed-1.sqlite").path
        let scan = try BackgroundStsscan(["world", "scan", dir.path, "--db", killed, "--shard", "1/2", "--quiet"] + resolver)
        try await scan.waitForRows(in: killed, atLeast: 100)
        let wasRunning = scan.process.isRunning
        kill(scan.process.processIdentifier, SIGKILL)
        _ = try await scan.wait()
        let partial = try await world.database(killed).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(wasRunning && partial < 1000, "the kill should interrupt the shard (\(partial) rows)")

        let other = try await StsscanBinary.runBlocking(["world", "scan", dir.path, "--db", killed, "--shard", "0/2", "--resume", "--quiet"] + resolver)
        #expect(other.status != 0 && other.err.contains("covers shard 1/2, not shard 0/2") && other.err.contains("--shard 1/2"), "\(other.err)")
        let none = try await StsscanBinary.runBlocking(["world", "scan", dir.path, "--db", killed, "--resume", "--quiet"] + resolver)
        #expect(none.status != 0 && none.err.contains("covers shard 1/2"), "\(none.err)")

        // Merging the unfinished shard is refused, naming it and the command to finish it.
        let early = dir.appendingPathComponent("early.sqlite").path
        let refused = try await StsscanBinary.runBlocking(["merge", early, shardPaths[0], killed])
        #expect(refused.status != 0 && refused.err.contains("'\(killed)'") && refused.err.contains("--resume"), "\(refused.err)")

        let resumed = try await StsscanBinary.runBlocking(["world", "scan", dir.path, "--db", killed, "--shard", "1/2", "--resume", "--quiet"] + resolver)
        #expect(resumed.status == 0, "\(resumed.err)")
        let mergedA = dir.appendingPathComponent("merged-a.sqlite").path
        let mergedB = dir.appendingPathComponent("merged-b.sqlite").path
        let mergeA = try await StsscanBinary.runBlocking(["merge", mergedA] + shardPaths)
        #expect(mergeA.status == 0, "\(mergeA.err)")
        let mergeB = try await StsscanBinary.runBlocking(["merge", mergedB, shardPaths[0], killed])
        #expect(mergeB.status == 0, "\(mergeB.err)")
        try expectEqualScans(mergedB, mergedA, world: world)
    }

    /// Every table of the newest scan of `got` equals that of `want`, row for row; and the
    /// scans rows agree on list, counts and options (the engine's per-run facts aside).
    func expectEqualScans(_ got: String, _ want: String, world: TestWorld,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        for table in Self.tables {
            let (a, b) = (try Self.rows(table, got, world: world), try Self.rows(table, want, world: world))
            #expect(a.count == b.count, "\(table): \(a.count) rows, want \(b.count)", sourceLocation: sourceLocation)
            let differing = zip(a, b).filter { $0 != $1 }
            #expect(differing.isEmpty, "\(table): \(differing.count) rows differ, e.g. \(differing.prefix(3))", sourceLocation: sourceLocation)
        }
        let facts = ShardMerger.runFactKeys
        let scans = try [got, want].map { path in
            try world.database(path).read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM scans ORDER BY id DESC LIMIT 1")!
            }
        }
        for column in ["tool_version", "cares_version", "curl_version", "sqlite_version", "resolvers", "input_name",
                       "input_sha256", "domains_total", "domains_done", "errors", "shard"] {
            #expect(scans[0][column] as DatabaseValue == scans[1][column] as DatabaseValue, "scans.\(column)",
                    sourceLocation: sourceLocation)
        }
        let options = try scans.map { row in
            try JSONDecoder().decode([String: String].self, from: Data((row["options"] as String).utf8)).filter { !facts.contains($0.key) }
        }
        #expect(options[0] == options[1], "scans.options", sourceLocation: sourceLocation)
    }

    /// Durations inside error details (curl's "after 34 ms", "after 20001 milliseconds"), and
    /// how much of a slowly sent body arrived before the timeout ("with 1759 out of 8063
    /// bytes received"), measure timing, not the world: replaced by N.
    static func withoutDurations(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d+ (ms|milliseconds)\b"#, with: "N ms", options: .regularExpression)
            .replacingOccurrences(of: #"with \d+ (out of|bytes)\b"#, with: "with N $1", options: .regularExpression)
    }

    /// One table's rows of the newest scan, time columns left out, in key order.
    static func rows(_ table: String, _ path: String, world: TestWorld) throws -> [[String]] {
        try world.database(path).read { db in
            let columns = try db.columns(in: table).map(\.name).filter { !timeColumns.contains($0) }
            let key = table == "mx_probes" ? "host" : (["domain_results", "policy_bodies"].contains(table) ? "position" : "position, seq")
            return try Row.fetchAll(db, sql: """
                SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE scan_id = (SELECT max(id) FROM scans) ORDER BY \(key)
                """).map { row in columns.map { withoutDurations((row[$0] as DatabaseValue).description) } }
        }
    }
}
