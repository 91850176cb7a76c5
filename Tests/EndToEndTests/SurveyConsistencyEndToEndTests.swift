import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 23, surveys that stay consistent: `--resume` with another CA file is refused,
/// naming it; without it the recorded CA (and resolver, rate) is taken and the scan equals
/// the world's truth; the "resume it with" line of `report` is a command that works; a
/// report of a running scan says it is running and partial; the summary gives the steady
/// rate. World on address block 240.
@Suite(.serialized) struct SurveyConsistencyEndToEndTests {
    @Test func resumeTakesTheRecordedOptionsOrRefusesADifference() async throws {
        let world = try await TestWorld.started(domains: 3000, adoption: 0.3, seed: 2301, addressBlock: 240)
        defer { world.stop() }
        let db = world.databasePath
        // Slowed by a query rate, recorded with the options, so the kill lands mid-run and the
        // resumed run (which takes the rate from the record) runs long enough to be watched.
        let first = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", db, "--rate", "500", "--quiet"])
        try await Task.sleep(for: .milliseconds(1500))
        let wasRunning = first.process.isRunning
        kill(first.process.processIdentifier, SIGKILL)
        _ = try await first.wait()
        let partial = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(wasRunning && partial > 0 && partial < 3000, "the kill should interrupt the scan (\(partial) rows)")

        // Another CA file (the same certificates under another name) is a difference: refused, named.
        let otherCA = world.directory.appendingPathComponent("other-ca.pem").path
        try FileManager.default.copyItem(atPath: world.directory.appendingPathComponent(world.manifest.caFile).path, toPath: otherCA)
        let refused = try await StsscanBinary.runBlocking(["scan", world.domainsPath, "--db", db, "--resume", "--ca-file", otherCA])
        #expect(refused.status != 0, "\(refused.err)")
        #expect(refused.err.contains("--ca-file: the scan has \(world.directory.appendingPathComponent(world.manifest.caFile).path), "
                                     + "this run gives \(otherCA)"), "\(refused.err)")
        #expect(refused.err.contains("leave this option out to take the recorded value"), "\(refused.err)")
        let rowsAfterRefusal = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(rowsAfterRefusal == partial)

        // The report's resume line, run as printed, continues with the recorded options.
        let report = try await StsscanBinary.runBlocking(["report", "--db", db])
        let marker = "Resume it with: "
        let line = try #require(report.err.components(separatedBy: "\n").first { $0.contains(marker) }, "\(report.err)")
        let command = line.components(separatedBy: marker)[1].trimmingCharacters(in: .whitespaces)
        #expect(command == "stsscan scan \(world.domainsPath) --db \(db) --resume", "\(command)")
        let words = command.split(separator: " ").dropFirst().map(String.init)
        let resumed = try BackgroundStsscan(words)

        // While it runs, report says so: running, its progress, partial figures; no resume advice.
        var running = ""
        for _ in 0..<40 where resumed.process.isRunning {
            try await Task.sleep(for: .milliseconds(250))
            let during = try await StsscanBinary.runBlocking(["report", "--db", db, "--format", "md"])
            if during.err.contains("is running") { running = during.err + during.out; break }
        }
        #expect(running.contains("Scan 1 is running") && running.contains("entries stored so far of about 3000")
                && running.contains("the figures are partial"), "\(running)")
        #expect(!running.contains("Resume it with"), "\(running)")

        let (status, output) = try await resumed.wait()
        #expect(status == 0, "\(output)")
        let ca = world.directory.appendingPathComponent(world.manifest.caFile).path
        #expect(output.contains("options        taken from the scan's record (--resume): --resolver ")
                && output.contains("--ca-file \(ca)") && output.contains("--rate 500"), "\(output)")
        #expect(output.contains("steady: "), "\(output)")
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
