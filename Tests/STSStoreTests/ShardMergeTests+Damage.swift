import Foundation
import GRDB
import STSStore
import Testing

/// Issue 25: `merge` never copies a damaged shard (the shard file is named, not the staging
/// file), tells a shard still being scanned from an abandoned one, and clears the staging
/// files of a killed merge.
extension ShardMergeTests {
    /// SQLite 3.40 as the merge meets it: a read-only connection's `integrity_check` reports
    /// NOT NULL violations but not CHECK violations (CHECK constraints are dropped when the
    /// schema of a read-only database is parsed); a writable connection reports both. Hence
    /// the merge checks a shard on a writable, `query_only` connection.
    @Test func readOnlyIntegrityCheckSkipsCheckConstraints() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let path = try Self.shard(0, of: 1, in: temp.directory)
        try Self.breakCheckConstraint(path)
        var configuration = Configuration()
        configuration.readonly = true
        let readOnly = try DatabaseQueue(path: path, configuration: configuration)
        #expect(try readOnly.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
        try readOnly.close()
        let writable = try DatabaseQueue(path: path)
        let problems = try writable.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(problems.contains { $0.contains("CHECK constraint failed in domain_results") }, "\(problems)")
    }

    /// A value no stsscan writes (`mx_status` 'okay'), stored past the CHECK constraint.
    static func breakCheckConstraint(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE domain_results SET mx_status = 'okay' WHERE position = 3")
        }
        try queue.close()
    }

    @Test func refusesADamagedShardNamingIt() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let out = temp.directory.appendingPathComponent("out.sqlite").path
        let a = try Self.shard(0, of: 2, in: temp.directory)
        let b = try Self.shard(1, of: 2, in: temp.directory)
        try Self.breakCheckConstraint(b)
        expectRefused([a, b], out: out, file: b, "is damaged (PRAGMA integrity_check: CHECK constraint failed in domain_results)")

        // A NOT NULL column emptied behind SQLite's back: integrity_check names it.
        let c = try Self.shard(1, of: 2, in: temp.directory, name: "c.sqlite")
        let queue = try DatabaseQueue(path: c)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_master SET sql = replace(sql, 'sts_id TEXT,', 'sts_id TEXT NOT NULL,') WHERE name = 'domain_results'")
        }
        try queue.close()
        expectRefused([a, c], out: out, file: c, "is damaged (PRAGMA integrity_check: NULL value in domain_results.sts_id")
    }

    @Test func aShardStillBeingScannedIsNotSentToResume() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let out = temp.directory.appendingPathComponent("out.sqlite").path
        let a = try Self.shard(0, of: 2, in: temp.directory)
        let b = try Self.shard(1, of: 2, in: temp.directory, finish: false)
        let running = try ScanLock(databasePath: b)  // what `scan --shard 1/2 --db b` holds while it runs
        expectRefused([a, b], out: out, file: b, "is still being written by a running scan (3 rows stored so far)")
        do {
            _ = try ShardMerger.merge(into: out, shards: [a, b])
        } catch {
            #expect(!"\(error)".contains("--resume"), "\(error)")
        }
        withExtendedLifetime(running) {}
    }

    @Test func removesTheStagingFilesOfAKilledMerge() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let out = temp.directory.appendingPathComponent("out.sqlite").path
        let shards = try (0..<2).map { try Self.shard($0, of: 2, in: temp.directory) }
        // A process that has exited: its pid names no live process.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = temp.directory.appendingPathComponent(".out.sqlite.merging-\(gone.processIdentifier)").path
        let live = temp.directory.appendingPathComponent(".out.sqlite.merging-1").path  // init: alive
        for path in [stale, stale + "-journal", live] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)))
        }
        let outcome = try ShardMerger.merge(into: out, shards: shards)
        #expect(outcome.rows == 200)
        #expect(!FileManager.default.fileExists(atPath: stale) && !FileManager.default.fileExists(atPath: stale + "-journal"))
        #expect(FileManager.default.fileExists(atPath: live), "a live process's file is not touched")
    }

    /// Bytes flipped anywhere in a shard (seeded): whenever the damaged file fails
    /// `integrity_check` (on a writable copy, so CHECK constraints count), the merge refuses,
    /// names that shard, creates nothing and leaves the shard as it was.
    /// `STSSTORE_MERGE_FUZZ=TRIALS,SEED` runs a longer or another series.
    @Test func damagedShardsNeverMerge() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let a = try Self.shard(0, of: 2, in: temp.directory)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: try Self.shard(1, of: 2, in: temp.directory)))
        let setting = (ProcessInfo.processInfo.environment["STSSTORE_MERGE_FUZZ"] ?? "").split(separator: ",").compactMap { Int($0) }
        let trials = setting.first ?? 40
        var random = SplitMix(seed: UInt64(setting.count > 1 ? setting[1] : 25))
        var damaged = 0, merged = 0
        for trial in 0..<trials {
            var bytes = [UInt8](pristine)
            let flips = 1 + Int(random.next() % 8)
            var where_: [Int] = []
            for _ in 0..<flips {
                let position = Int(random.next() % UInt64(bytes.count))
                bytes[position] ^= UInt8(1 + random.next() % 255)
                where_.append(position)
            }
            let shard = temp.directory.appendingPathComponent("damaged-\(trial).sqlite").path
            try Data(bytes).write(to: URL(fileURLWithPath: shard))
            let oracle = temp.directory.appendingPathComponent("oracle-\(trial).sqlite")
            try Data(bytes).write(to: oracle)
            let problems = Self.integrityProblems(oracle.path)
            let intact = problems.isEmpty
            let out = temp.directory.appendingPathComponent("out-\(trial).sqlite").path
            if intact {
                // Flips in unused space or in a value that no constraint sees: merging is allowed.
                if (try? ShardMerger.merge(into: out, shards: [a, shard])) != nil { merged += 1 }
                continue
            }
            damaged += 1
            do {
                _ = try ShardMerger.merge(into: out, shards: [a, shard])
                Issue.record("trial \(trial): merged a shard whose integrity_check fails (bytes flipped at \(where_)): \(problems)")
            } catch let error as MergeError {
                #expect(error.file == shard, "trial \(trial): \(error)")
            } catch {
                #expect(!"\(error)".contains(".merging-"), "trial \(trial) names the staging file: \(error)")
                #expect("\(error)".contains(shard), "trial \(trial) does not name the shard: \(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: out), "trial \(trial)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: shard)) == Data(bytes), "trial \(trial): the shard was changed")
        }
        print("merge fuzz: \(trials) damaged copies of a shard, \(damaged) failing integrity_check (all refused), \(merged) intact merged")
        #expect(damaged >= trials / 4, "the flips should damage most copies")
        #expect((try FileManager.default.contentsOfDirectory(atPath: temp.directory.path)).allSatisfy { !$0.contains("merging") })
    }

    /// What `integrity_check` on a writable connection (so CHECK constraints are verified)
    /// finds; a file SQLite cannot open or read is one problem. Empty when intact.
    static func integrityProblems(_ path: String) -> [String] {
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let answer = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            return answer == ["ok"] ? [] : answer
        } catch {
            return ["\(error)"]
        }
    }

    /// SplitMix64: a small seeded generator, so a failing trial can be replayed.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
