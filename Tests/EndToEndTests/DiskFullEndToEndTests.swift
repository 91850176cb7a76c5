import Foundation
import GRDB
import Testing

/// Issue 13: a database write that fails (the disk is full) stops the scan at once, names
/// the path and the cause, and leaves what is stored intact and resumable. Runs on a small
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

    @Test func fullDiskStopsTheFeedAndResumes() async throws {
        let mountpoint = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-diskfull-\(UUID())").path
        try FileManager.default.createDirectory(atPath: mountpoint, withIntermediateDirectories: true)
        try Self.shell("mount -t tmpfs -o size=3m,mode=0755 stsscan-diskfull '\(mountpoint)'")
        defer {
            try? Self.shell("umount '\(mountpoint)' || umount -l '\(mountpoint)'")
            try? FileManager.default.removeItem(atPath: mountpoint)
        }
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
