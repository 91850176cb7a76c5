import Foundation
import GRDB
import Testing

/// Issue 25: `scan --jsonl -` into a pipe nobody reads. The scan stalls once the pipe is
/// full (rows are stored a few batches ahead of the output), and one SIGTERM ends it within
/// a bounded time with every finished row stored; `--resume` completes it. World on address
/// block 152.
@Suite(.serialized) struct BlockedOutputEndToEndTests {
    @Test func oneSignalStopsAScanWritingToAPipeNobodyReads() async throws {
        let world = try await TestWorld.started(domains: 6000, adoption: 0.2, seed: 1520, addressBlock: 152)
        defer { world.stop() }
        let errors = world.directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errors)
        defer { try? errorHandle.close() }
        let pipe = Pipe()  // its reading end stays open and is never read
        let process = Process()
        process.executableURL = try StsscanBinary.url()
        process.arguments = ["world", "scan", world.directory.path, "--db", world.databasePath, "--quiet", "--jsonl", "-"]
        process.standardOutput = pipe
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Wait until the stored rows stop growing: the output is stuck, the scan stalls.
        var stalled = -1
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, process.isRunning {
            let before = try await rows(world)
            try await Task.sleep(for: .seconds(2))
            if before > 0, try await rows(world) == before { stalled = before; break }
        }
        #expect(process.isRunning, "the scan cannot finish while its output is stuck")
        #expect(stalled > 0 && stalled < 6000, "\(stalled) rows stored when the scan stalled")

        kill(process.processIdentifier, SIGTERM)
        let signalled = ContinuousClock.now
        while process.isRunning, ContinuousClock.now - signalled < .seconds(20) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let took = ContinuousClock.now - signalled
        #expect(!process.isRunning, "one SIGTERM did not stop the scan within 20 s")
        #expect(took < .seconds(10), "\(took)")
        guard !process.isRunning else { return }
        #expect(process.terminationStatus == 130)
        let err = try String(contentsOf: errors, encoding: .utf8)
        #expect(err.contains("interrupted: resume with --resume"), "\(err)")
        #expect(err.contains("--jsonl        cut short"), "\(err)")
        let kept = try await rows(world)
        #expect(kept >= stalled, "every stored row is kept")
        try? pipe.fileHandleForReading.close()

        let resumed = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath,
                                                           "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(try await rows(world) == 6000)
        #expect(resumed.err.contains("(\(6000 - kept) this run)"), "\(resumed.err)")
    }

    private func rows(_ world: TestWorld) async throws -> Int {
        guard FileManager.default.fileExists(atPath: world.databasePath) else { return 0 }
        return try await Blocking.run {
            try world.database().read { db in
                guard try db.tableExists("domain_results") else { return 0 }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0
            }
        }
    }
}
