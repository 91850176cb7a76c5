import Foundation
import GRDB
import STSCore
import STSReport
import STSStore
import Testing

/// The transitions SQL (`TransitionSQL`, run by `diff` and by the report) against the pure
/// rules of STSCore (`TransitionRules`): every pair of a set of domain states, stored as two
/// scans through the real writer, must give exactly the transitions the rules give.
@Suite struct TransitionQueryTests {
    /// Named states of one domain in one scan.
    static let states: [(name: String, snapshot: TransitionSnapshot)] = {
        let working = TransitionSnapshot(stsRecord: .valid, stsID: "20260101T000000", policyStatus: .valid, mode: .testing,
                                         maxAge: 604_800, mx: ["*.mailhost-a.com", "mx.b.net"], delivery: .ok)
        var enforce = working
        enforce.mode = .enforce
        var shorter = working
        shorter.maxAge = 86_400
        var renumbered = working
        renumbered.stsID = "20260201T000000"
        renumbered.mx = ["MX.B.net", "*.mailhost-a.com", "mx.b.net"]
        var moreMX = renumbered
        moreMX.mx.append("backup.example.org")
        var failing = working
        failing.delivery = .fails
        failing.errorCode = .mxNotCovered
        var unprobed = working
        unprobed.mode = PolicyMode.none
        unprobed.mx = []
        unprobed.delivery = nil
        return [
            ("absent", TransitionSnapshot(stsRecord: .absent)),
            ("working", working), ("enforce", enforce), ("shorter", shorter), ("renumbered", renumbered),
            ("more-mx", moreMX), ("delivery-fails", failing), ("mode-none", unprobed),
            ("txt-invalid", TransitionSnapshot(stsRecord: .invalid, errorCode: .txtMissingID)),
            ("cert-expired", TransitionSnapshot(stsRecord: .valid, stsID: "20260101T000000", policyStatus: .fetchError,
                                                errorCode: .certExpired)),
            ("policy-invalid", TransitionSnapshot(stsRecord: .valid, stsID: "20260101T000000", policyStatus: .invalid,
                                                  mode: .enforce, errorCode: .policyMaxAge)),
            ("fetch-timeout", TransitionSnapshot(stsRecord: .valid, stsID: "20260101T000000", policyStatus: .fetchError,
                                                 errorCode: .fetchTimeout)),
            ("txt-servfail", TransitionSnapshot(stsRecord: .error, errorCode: .txtDNSServfail)),
            ("mx-timeout", TransitionSnapshot(mxStatus: .timeout, stsRecord: .absent, errorCode: .mxDNSTimeout)),
        ]
    }()

    static func record(_ position: Int, _ domain: String, _ s: TransitionSnapshot) -> DomainRecord {
        var record = FixtureDatabase.entry(position, domain, rank: position + 1, mx: s.mxStatus.rawValue,
                                           sts: s.stsRecord.rawValue, policy: s.policyStatus?.rawValue,
                                           mode: s.mode?.rawValue, maxAge: s.maxAge)
        record.stsID = s.stsID
        record.policyMX = s.mx
        // The writer stores the primary error from the findings.
        if let code = s.errorCode { record.findings.append(Finding(code, "")) }
        record.delivery = s.delivery
        return record
    }

    @Test func sqlAgreesWithTheRulesOnEveryPairOfStates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transitions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("scan.sqlite").path
        let store = try ResultStore(path: path)
        var before: [DomainRecord] = []
        var after: [DomainRecord] = []
        var expected = Set<[String]>()
        for (i, a) in Self.states.enumerated() {
            for (j, b) in Self.states.enumerated() {
                let domain = "\(a.name)-to-\(b.name).example"
                // The lists differ in order from month to month: matching is by name.
                before.append(Self.record(before.count, domain, a.snapshot))
                after.insert(Self.record(0, domain, b.snapshot), at: 0)
                for t in TransitionRules.classify(a.snapshot, b.snapshot) {
                    expected.insert([domain, t.kind.rawValue, t.before, t.after])
                }
                _ = (i, j)
            }
        }
        // A domain listed twice counts as its first entry.
        after.append(Self.record(0, "absent-to-working.example", Self.states[0].snapshot))
        for (position, _) in after.enumerated() { after[position].position = position }
        // A domain only in one scan makes no transition.
        after.append(Self.record(after.count, "new-in-the-list.example", Self.states[1].snapshot))
        for (scan, records) in [before, after].enumerated() {
            let id = try store.beginScan(FixtureDatabase.metadata(scan + 1))
            try store.write(scanID: id, records)
            try store.finishScan(scanID: id, total: records.count, inputSHA256: nil)
        }
        let diff = try ReportBuilder.diff(ReportDatabase(path: path), from: 1, to: 2)
        // domain, kind, before, after (the detail column is the stored error detail)
        let rows = try #require(diff.section("transitions")).rows.map { row in
            row.prefix(4).map { value -> String in if case .text(let text) = value { text } else { "\(value)" } }
        }
        let found = Set(rows.map { Array($0) })
        #expect(found.count == rows.count, "no transition twice")
        #expect(found.subtracting(expected).isEmpty, "SQL only: \(found.subtracting(expected).sorted { $0.joined() < $1.joined() })")
        #expect(expected.subtracting(found).isEmpty, "rules only: \(expected.subtracting(found).sorted { $0.joined() < $1.joined() })")
        for kind in TransitionKind.allCases {
            #expect(expected.contains { $0[1] == kind.rawValue }, "the fixture exercises \(kind.rawValue)")
        }

        // The report of scan 2 counts the same per kind; scan 1's report has no such section.
        let report = try ReportBuilder.report(ReportDatabase(path: path), scanID: 2)
        let counts = try #require(report.section("transitions"))
        for row in counts.rows {
            guard case .text(let kind) = row[1], case .integer(let count) = row[2] else { continue }
            #expect(Int(count) == expected.filter { $0[1] == kind }.count, "\(kind)")
        }
        #expect(counts.rows.count == TransitionKind.allCases.count)
        #expect(try ReportBuilder.report(ReportDatabase(path: path), scanID: 1).section("transitions") == nil)
    }
}
