import Foundation
import GRDB
import Testing

/// Issue 13: a database write that fails (the disk is full) stops the scan at once, names
/// the path and the cause, and leaves what is stored intact and resumable. Issue 25: a
/// report or export onto a full disk keeps the previous output whole. Runs on a small
/// tmpfs it mounts itself (root only) and always unmounts; world on address block 120.
@Suite(.serialized, .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct DiskFullEndToEndTests {
    static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestWorld.Failure("failed: \(command)") }
    }

    /// Mounts a tmpfs of `size` on a new folder and returns it; `unmount` removes it.
    static func mountTmpfs(size: String) throws -> String {
        let mountpoint = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-diskfull-\(UUID())").path
        try FileManager.default.createDirectory(atPath: mountpoint, withIntermediateDirectories: true)
        try shell("mount -t tmpfs -o size=\(size),mode=0755 stsscan-diskfull '\(mountpoint)'")
        return mountpoint
    }

    static func unmount(_ mountpoint: String) {
        try? shell("umount '\(mountpoint)' || umount -l '\(mountpoint)'")
        try? FileManager.default.removeItem(atPath: mountpoint)
    }

    @Test func fullDiskStopsTheFeedAndResumes() async throws {
        let mountpoint = try Self.mountTmpfs(size: "3m")
        defer { Self.unmount(mountpoint) }
        let world = try await TestWorld.started(domains: 20_000, adoption: 0.2, seed: 1313, addressBlock: 120)
        defer { world.stop() }
        let db = mountpoint + "/scan.sqlite"

        let full = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", db,
                                                        "--concurrency", "200", "--quiet"])
        #expect(full.status == 1)
        #expect(full.err.contains("disk full: \(db)"), "\(full.err)")
        #expect(full.err.contains("--resume"))
        print("disk-full run on a 3 MB tmpfs: \(full.err)")
        // "... N rows stored, M entries read": the feed stopped at once, not after the list.
        let numbers = full.err.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let stored = try await Blocking.run { try Self.rows(db) }
        #expect(stored > 0 && stored < 20_000)
        let read = numbers.last ?? Int.max
        // At most the workers in flight plus the writer's queued batches beyond what is stored.
        #expect(read - stored <= 200 + 5 * 500 + 500, "read \(read) entries with \(stored) stored: \(full.err)")
        #expect(try await Blocking.run { try Self.integrity(db) } == "ok")

        // More room, then --resume completes the scan: one row per entry, errors counted from rows.
        try Self.shell("mount -o remount,size=256m '\(mountpoint)'")
        let resumed = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", db,
                                                           "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.err)")
        let summary = try await Blocking.run { () -> [String: Int] in
            try DatabaseQueue(path: db).read { db in
                let row = try Row.fetchOne(db, sql: """
                    SELECT (SELECT count(*) FROM domain_results) AS n,
                           (SELECT count(DISTINCT position) FROM domain_results) AS d,
                           (SELECT count(*) FROM domain_results WHERE error_code IS NOT NULL) AS e,
                           (SELECT errors FROM scans) AS recorded, (SELECT count(*) FROM scans) AS scans,
                           (SELECT finished_at IS NOT NULL FROM scans) AS finished
                    """)!
                return Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as Int) })
            }
        }
        #expect(summary["n"] == 20_000 && summary["d"] == 20_000)
        #expect(summary["scans"] == 1 && summary["finished"] == 1)
        #expect(summary["recorded"] == summary["e"], "scans.errors equals the rows with an error_code: \(summary)")
    }

    /// `report --export DIR`, `report --out F` and `export --out F` onto a full disk: exit 1
    /// naming the full disk, every earlier output byte for byte as it was, no temporary file
    /// left; with room again the same commands replace them.
    @Test func fullDiskKeepsThePreviousReportsAndExports() throws {
        let mountpoint = try Self.mountTmpfs(size: "1m")
        defer { Self.unmount(mountpoint) }
        let scratch = try SurveySafetyEndToEndTests.Scratch()
        defer { scratch.remove() }
        let db = try SurveySafetyEndToEndTests.scanDatabase(scratch)  // off the tmpfs
        let folder = mountpoint + "/out"
        let first = try StsscanBinary.run(["report", "--db", db, "--export", folder])
        #expect(first.status == 0, "\(first.err)")
        #expect(try StsscanBinary.run(["report", "--db", db, "--format", "html", "--out", mountpoint + "/report.html"]).status == 0)
        #expect(try StsscanBinary.run(["export", "--db", db, "--out", mountpoint + "/scan.jsonl"]).status == 0)
        let outputs = ["ipynb", "html", "md"].map { folder + "/report." + $0 } + [mountpoint + "/report.html", mountpoint + "/scan.jsonl"]
        let before = SurveySafetyEndToEndTests.snapshot(outputs)
        #expect(before.count == 5 && before.values.allSatisfy { $0.count > 1000 })

        // A second scan makes every output differ; then the disk fills up.
        let list = scratch.path("invalid.txt")
        #expect(try StsscanBinary.run(["scan", list, "--db", db, "--resolver", SurveySafetyEndToEndTests.deadResolver,
                                       "--quiet"]).status == 0)
        try Self.shell("dd if=/dev/zero of='\(mountpoint)/filler' bs=4k 2>/dev/null || true")
        for command in [["report", "--db", db, "--export", folder],
                        ["report", "--db", db, "--format", "html", "--out", mountpoint + "/report.html"],
                        ["export", "--db", db, "--out", mountpoint + "/scan.jsonl"]] {
            let run = try StsscanBinary.run(command)
            #expect(run.status == 1 && run.err.contains("the disk is full"), "\(command): \(run.err)")
            #expect(SurveySafetyEndToEndTests.snapshot(outputs) == before, "\(command) changed an earlier output")
        }
        let left = (try FileManager.default.contentsOfDirectory(atPath: folder))
            + (try FileManager.default.contentsOfDirectory(atPath: mountpoint))
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "temporary files left: \(left)")

        try FileManager.default.removeItem(atPath: mountpoint + "/filler")
        #expect(try StsscanBinary.run(["report", "--db", db, "--export", folder]).status == 0)
        let after = SurveySafetyEndToEndTests.snapshot(outputs)
        for path in outputs.prefix(3) { #expect(after[path] != before[path], "\(path) is replaced once there is room") }
    }

    static func rows(_ path: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM domain_results") ?? 0
        }
    }

    static func integrity(_ path: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read {
            try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? ""
        }
    }
}
