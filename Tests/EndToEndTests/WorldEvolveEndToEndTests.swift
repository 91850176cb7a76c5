import Foundation
import GRDB
import STSCore
import STSWorld
import Testing

/// Issue 12 acceptance: scan a world, evolve it (`world evolve`), restart it, scan again
/// into the same database: `diff` finds every planted transition of `transitions.csv`,
/// the body-changed-id-unchanged case included, and nothing else; the second scan equals
/// the rewritten truth. Address block 150.
@Suite(.serialized, .enabled(if: (try? WorldServers.checkInstalled()) != nil,
                             "needs apt packages nsd dnsdist nginx-light libnginx-mod-http-echo unbound postfix (or run scripts/deps.sh)"))
struct WorldEvolveEndToEndTests {
    @Test func diffFindsEveryPlantedTransitionAndNothingElse() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.3, seed: 1212, addressBlock: 150)
        defer { world.stop() }
        let dir = world.directory.path
        let first = try await StsscanBinary.runBlocking(["world", "scan", dir, "--db", world.databasePath, "--quiet"])
        #expect(first.status == 0, "\(first.err)")
        let before = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(before.isEmpty, "the first scan against the built truth:\n\(before.prefix(20).joined(separator: "\n"))")

        let restarted = try await Blocking.run { () throws -> [StsscanBinary.Run] in
            [try StsscanBinary.run(["world", "stop", dir]),
             try StsscanBinary.run(["world", "evolve", dir, "--seed", "77"]),
             try StsscanBinary.run(["world", "start", dir])]
        }
        for run in restarted { #expect(run.status == 0, "\(run.out)\(run.err)") }
        let planted = Set(try WorldEvolution.readTransitions(world.directory))
        let kinds = Set(planted.map { TransitionKind(rawValue: $0[1]) })
        for kind in TransitionKind.allCases {
            #expect(kinds.contains(kind), "the evolution plants \(kind.rawValue)")
        }

        let second = try await StsscanBinary.runBlocking(["world", "scan", dir, "--db", world.databasePath, "--quiet"])
        #expect(second.status == 0, "\(second.err)")
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches with the evolved truth:\n\(mismatches.prefix(40).joined(separator: "\n"))")

        // mx-hosts.csv, rewritten too, holds every MX host the second scan probed.
        try WorldScanEndToEndTests().expectMXProbesMatchTruth(world, summary: second.err)

        let diff = try await StsscanBinary.runBlocking(["diff", "--db", world.databasePath, "--format", "json"])
        #expect(diff.status == 0, "\(diff.err)")
        let found = try Self.rows(of: "transitions", in: diff.stdout)
        let missing = planted.subtracting(found).sorted { $0.joined() < $1.joined() }
        let extra = found.subtracting(planted).sorted { $0.joined() < $1.joined() }
        #expect(missing.isEmpty, "planted but not found: \(missing.prefix(20))")
        #expect(extra.isEmpty, "found but not planted: \(extra.prefix(20))")
        #expect(planted.count > 50)

        // The report of the second scan counts the same transitions per kind.
        let report = try await StsscanBinary.runBlocking(["report", "--db", world.databasePath, "--format", "json"])
        #expect(report.status == 0, "\(report.err)")
        let counts = try Self.objects(of: "transitions", in: report.stdout)
        for kind in TransitionKind.allCases {
            let row = counts.first { $0["kind"] as? String == kind.rawValue }
            #expect(row?["domains"] as? Int == planted.filter { $0[1] == kind.rawValue }.count, "\(kind.rawValue)")
        }
    }

    /// The rows of section `id` of a JSON report as `[domain, kind, before, after]`.
    static func rows(of id: String, in json: [UInt8]) throws -> Set<[String]> {
        Set(try objects(of: id, in: json).map { row in
            ["domain", "kind", "before", "after"].map { (row[$0] as? String) ?? "" }
        })
    }

    static func objects(of id: String, in json: [UInt8]) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        let sections = object?["sections"] as? [[String: Any]] ?? []
        guard let section = sections.first(where: { $0["id"] as? String == id }) else {
            throw TestWorld.Failure("no section \(id)")
        }
        return section["rows"] as? [[String: Any]] ?? []
    }
}
