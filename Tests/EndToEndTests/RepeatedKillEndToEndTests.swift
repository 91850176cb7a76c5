import Foundation
import GRDB
import Testing

/// Issue 13 acceptance: kill -9 at five random moments of a 50,000-domain scan, `--resume`
/// after each, equals an uninterrupted scan of the same world row for row. World on
/// address block 121.
@Suite(.serialized) struct RepeatedKillEndToEndTests {
    static let columns = ["position", "rank", "domain", "input", "mx_status", "sts_record", "sts_id", "policy_status",
                          "mode", "max_age", "mx_coverage", "tlsrpt_record", "tlsrpt_rua", "error_code", "delivery"]

    @Test func fiveKillsAndResumesEqualAnUninterruptedScan() async throws {
        let world = try await TestWorld.started(domains: 50_000, adoption: 0.2, seed: 1350, addressBlock: 121)
        defer { world.stop() }
        let reference = world.directory.appendingPathComponent("reference.sqlite").path
        let killed = world.directory.appendingPathComponent("killed.sqlite").path
        // dnsdist itself, not the world's Unbound: a name whose answers dnsdist drops is then
        // always a timeout, where Unbound answers SERVFAIL or times out depending on timing,
        // and the two scans must be comparable row by row.
        let resolver = ["--resolver", world.manifest.dns.dnsdist]
        let whole = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", reference, "--quiet"] + resolver)
        #expect(whole.status == 0, "\(whole.err)")

        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<5 {
            let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", killed, "--quiet"] + resolver
                                             + (round == 0 ? [] : ["--resume"]))
            try await Task.sleep(for: .milliseconds(Int.random(in: 400...2500, using: &generator)))
            if scan.process.isRunning {
                kill(scan.process.processIdentifier, SIGKILL)
                kills += 1
            }
            _ = try await scan.wait()
        }
        let last = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", killed, "--resume", "--quiet"] + resolver)
        #expect(last.status == 0 || kills < 5, "\(last.err)")
        #expect(kills >= 3, "the kills should land while the scan runs (\(kills) of 5 did)")

        let (want, got) = try await Blocking.run { (try Self.rows(reference), try Self.rows(killed)) }
        #expect(want.count == 50_000 && got.count == 50_000)
        let differing = zip(want, got).filter { $0 != $1 }
        #expect(differing.isEmpty, "\(differing.count) rows differ, e.g. \(differing.prefix(3))")
        let duplicates = try await Blocking.run { try Self.count(killed, "SELECT count(*) FROM findings WHERE code = 'input-duplicate'") }
        let referenceDuplicates = try await Blocking.run { try Self.count(reference, "SELECT count(*) FROM findings WHERE code = 'input-duplicate'") }
        #expect(duplicates == referenceDuplicates)
        #expect(try await Blocking.run { try Self.count(killed, "SELECT count(*) FROM scans") } == 1)
    }

    static func rows(_ path: String) throws -> [[String]] {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM domain_results ORDER BY position")
                .map { row in columns.map { (row[$0] as DatabaseValue).description } }
        }
    }

    static func count(_ path: String, _ sql: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
}
