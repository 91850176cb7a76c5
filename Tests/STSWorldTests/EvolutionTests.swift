import Foundation
import STSCore
import Testing
@testable import STSWorld

/// `stsscan world evolve` without servers: determinism, the files it changes, and a
/// ground truth consistent with the rewritten truth (the end-to-end test scans it).
struct EvolutionTests {
    private func evolvedWorld(_ name: String, seed: UInt64) throws -> (URL, [TruthRow], WorldEvolutionSummary) {
        let dir = WorldTestSupport.temporaryDirectory(name)
        _ = try WorldBuilder(directory: dir, domains: 2000, adoption: 0.3, seed: 8, latencyMs: 0).build()
        let before = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        let summary = try WorldEvolution(directory: dir, seed: seed).evolve()
        return (dir, before, summary)
    }

    @Test func sameSeedPlantsTheSameTransitions() throws {
        let (a, _, summary) = try evolvedWorld("evolve-a", seed: 3)
        let (b, _, _) = try evolvedWorld("evolve-b", seed: 3)
        let (c, _, _) = try evolvedWorld("evolve-c", seed: 4)
        defer { for dir in [a, b, c] { try? FileManager.default.removeItem(at: dir) } }
        let planted = try WorldEvolution.readTransitions(a)
        #expect(planted == (try WorldEvolution.readTransitions(b)))
        #expect(planted != (try WorldEvolution.readTransitions(c)))
        #expect(planted.count == summary.transitions)
        for change in summary.changes { #expect(change.domains > 0, "\(change.name) changed no domain") }
        for file in ["zones/com.zone", "truth.csv", "mx-hosts.csv"] {
            #expect(try String(contentsOf: a.appendingPathComponent(file), encoding: .utf8)
                        .replacingOccurrences(of: a.path, with: "DIR")
                    == String(contentsOf: b.appendingPathComponent(file), encoding: .utf8)
                        .replacingOccurrences(of: b.path, with: "DIR"), "\(file)")
        }
    }

    /// Each planted transition follows from the old and new truth rows by the rules of
    /// STSCore, and no other domain's truth changed.
    @Test func plantedTransitionsFollowFromTheTruth() throws {
        let (dir, before, _) = try evolvedWorld("evolve-truth", seed: 11)
        defer { try? FileManager.default.removeItem(at: dir) }
        let after = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        #expect(after.map(\.domain) == before.map(\.domain))
        let planted = try WorldEvolution.readTransitions(dir)
        let plantedDomains = Set(planted.map { $0[0] })
        for (old, new) in zip(before, after) {
            guard plantedDomains.contains(old.domain) else {
                #expect(old == new, "\(old.domain) changed without a planted transition")
                continue
            }
            // Truth rows carry no mx patterns: a change of them alone is checked by the end-to-end test.
            let want = Set(planted.filter { $0[0] == old.domain }.map { $0[1] })
            if want.contains("mx-changed") { continue }
            let kinds = Set(TransitionRules.classify(Self.snapshot(old), Self.snapshot(new)).map(\.kind.rawValue))
            #expect(kinds == want, "\(old.domain): the rules give \(kinds), planted \(want)")
        }
        #expect(planted.contains { $0[1] == "policy-changed-id-unchanged" })
    }

    /// Issue 25: evolve steps one after another (a domain's mx list changed twice included)
    /// plant exactly what the rules find between the served policies before and after, mx
    /// patterns included: no duplicate `mx:` line, no new id without its transition.
    @Test func successiveStepsKeepTheTruthExact() throws {
        let dir = WorldTestSupport.temporaryDirectory("evolve-steps")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try WorldBuilder(directory: dir, domains: 5000, adoption: 0.3, seed: 8, latencyMs: 0).build()
        var changedTwice = 0
        var mxChanged: Set<String> = []
        for step in UInt64(1)...3 {
            let before = try Self.snapshots(dir)
            _ = try WorldEvolution(directory: dir, seed: step).evolve()
            let after = try Self.snapshots(dir)
            var planted: [String: Set<String>] = [:]
            for row in try WorldEvolution.readTransitions(dir) { planted[row[0], default: []].insert(row[1]) }
            for (domain, old) in before {
                let kinds = Set(TransitionRules.classify(old, after[domain]!).map(\.kind.rawValue))
                #expect(kinds == planted[domain, default: []], "step \(step), \(domain): the rules give \(kinds), planted \(planted[domain, default: []])")
            }
            for (domain, kinds) in planted where kinds.contains("mx-changed") {
                if mxChanged.contains(domain) { changedTwice += 1 }
                mxChanged.insert(domain)
            }
        }
        #expect(changedTwice > 0, "no domain had its mx list changed twice: the test lost its case")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("www").path) {
            let body = (try? String(contentsOf: dir.appendingPathComponent("www/\(file)"), encoding: .utf8)) ?? ""
            let mx = body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").filter { $0.hasPrefix("mx:") }
            #expect(Set(mx).count == mx.count, "\(file) lists an mx pattern twice")
        }
    }

    /// Each domain's snapshot from the truth, with the mx patterns of the policy it serves.
    static func snapshots(_ dir: URL) throws -> [String: TransitionSnapshot] {
        var result: [String: TransitionSnapshot] = [:]
        for row in try TruthFile.read(dir.appendingPathComponent("truth.csv")) {
            var snapshot = snapshot(row)
            if row.policyStatus == "valid",
               let body = try? Data(contentsOf: dir.appendingPathComponent("www/mta-sts.\(row.domain)")) {
                snapshot.mx = PolicyParser.evaluate(Array(body)).mx
            }
            result[row.domain] = snapshot
        }
        return result
    }

    @Test func zoneSerialsGoUpAndRecordsMove() throws {
        let (dir, _, _) = try evolvedWorld("evolve-zone", seed: 5)
        defer { try? FileManager.default.removeItem(at: dir) }
        let zone = try String(contentsOf: dir.appendingPathComponent("zones/com.zone"), encoding: .utf8)
        #expect(zone.contains(" 2024010102 "), "the serial is one higher")
        let planted = try WorldEvolution.readTransitions(dir)
        for row in planted where row[1] == "dropped" && row[0].hasSuffix(".com") {
            #expect(!zone.contains("_mta-sts.\(row[0]).\t"), "\(row[0]) keeps no _mta-sts record")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("www/mta-sts.\(row[0])").path))
        }
        for row in planted where row[1] == "policy-broken" {
            let pem = try String(contentsOf: dir.appendingPathComponent("certs/mta-sts.\(row[0]).crt"), encoding: .utf8)
            #expect(try CertificateFactory.dnsNames(ofPEM: pem) == ["mta-sts.\(row[0])"])
            let groups = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("hosts").path)
            for group in groups where group.hasPrefix("cert-group-") {
                let names = try String(contentsOf: dir.appendingPathComponent("hosts/\(group)"), encoding: .utf8)
                #expect(!names.contains("server_name mta-sts.\(row[0]);"), "no longer served with the group's certificate")
            }
        }
    }

    static func snapshot(_ row: TruthRow) -> TransitionSnapshot {
        // The truth file's words are the database's; `!` makes a word outside the vocabulary fail loudly.
        TransitionSnapshot(mxStatus: MXStatus(rawValue: row.mxStatus)!, stsRecord: RecordStatus(rawValue: row.stsRecord)!,
                           stsID: row.stsID, policyStatus: row.policyStatus.map { PolicyStatus(rawValue: $0)! },
                           mode: row.mode.map { PolicyMode(rawValue: $0)! }, maxAge: row.maxAge, mx: [],
                           errorCode: row.errorCode.map { FindingCode(rawValue: $0)! },
                           delivery: row.delivery.map { Delivery(rawValue: $0)! })
    }
}
