import Foundation
import GRDB
import STSCore
import Testing
import STSStore

@Suite struct WriteTests {
    @Test func recordWithChildrenRoundTrips() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let record = Fixtures.full(3)
        #expect(try store.write(scanID: id, [record]) == 1)
        try store.queue.read { (db: Database) throws in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM results WHERE scan_id = ?", arguments: [id]))
            #expect(row["position"] == 3)
            #expect(row["rank"] == 7)
            #expect(row["domain"] == "example.com")
            #expect(row["sts_record"] == "valid")
            #expect(row["sts_id"] == "20240101")
            #expect(row["sts_cname"] == "sts.provider.net")
            #expect(row["policy_status"] == "valid")
            #expect(row["policy_host_cname"] == "policy.provider.net")
            #expect(row["http_status"] == 200)
            #expect(row["mode"] == "enforce")
            #expect(row["max_age"] == 604_800)
            #expect(row["mx_coverage"] == "some")
            #expect(row["tlsrpt_rua"] == "mailto:tls@example.com,https://r.example.com/x")
            #expect((row["error_code"] as String?) == nil)
            #expect(row["scanned_at"] == "2026-01-01T00:00:02.500Z")
            let stored = try Row.fetchOne(db, sql: "SELECT input, tld FROM domain_results")
            #expect(stored?["input"] == "Example.COM.")
            #expect(stored?["tld"] == "com")
            let findings = try Row.fetchAll(db, sql: "SELECT seq, code, severity, stage, detail FROM findings ORDER BY seq")
            #expect(findings.map { $0["code"] as String } == record.findings.map(\.code.rawValue))
            #expect(findings.map { $0["severity"] as String } == ["info", "info", "warning", "warning"])
            #expect(findings.map { $0["stage"] as String } == ["sts-record", "policy-host", "mx-coverage", "tlsrpt"])
            #expect(findings[2]["detail"] == "mx2.other.net")
            let hosts = try Row.fetchAll(db, sql: "SELECT preference, host, covered FROM mx_hosts ORDER BY seq")
            #expect(hosts.map { $0["host"] as String } == ["mx1.example.com", "mx2.other.net"])
            #expect(hosts.map { $0["covered"] as Bool? } == [true, false])
            #expect(try String.fetchAll(db, sql: "SELECT pattern FROM policy_mx ORDER BY seq") == record.policyMX)
            #expect(try String.fetchAll(db, sql: "SELECT kind FROM raw_records ORDER BY seq") == ["sts", "tlsrpt"])
            let body = try Row.fetchOne(db, sql: "SELECT body, truncated FROM policy_bodies")
            #expect(body?["body"] == String(decoding: record.policyBody!, as: UTF8.self))
            #expect(body?["truncated"] == false)
        }
    }

    @Test func replayedRowsAreIgnoredWithTheirChildren() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        #expect(try store.write(scanID: id, [Fixtures.full(0), Fixtures.plain(1)]) == 2)
        // A crash after commit: the scanner replays an overlapping batch.
        var changed = Fixtures.full(0)
        changed.mode = .testing
        #expect(try store.write(scanID: id, [changed, Fixtures.plain(1), Fixtures.plain(2)]) == 1)
        try store.queue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM results") == 3)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM findings WHERE position = 0") == 4)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM mx_hosts") == 2)
            #expect(try String.fetchOne(db, sql: "SELECT mode FROM results WHERE position = 0") == "enforce")
        }
    }

    @Test func aBatchIsOneTransaction() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        var bad = Fixtures.plain(1)
        bad.durationMs = -1 // the CHECK constraint rejects it
        #expect(throws: DatabaseError.self) { try store.write(scanID: id, [Fixtures.plain(0), bad]) }
        try store.queue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") == 0)
        }
    }

    /// The typed row cannot hold a value outside a vocabulary; the schema refuses one that
    /// comes another way (SQL users, another tool).
    @Test(arguments: ["mx_status", "tlsrpt_record", "mx_coverage", "error_code"])
    func statusVocabulariesAreEnforced(_ column: String) throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        try store.write(scanID: id, [Fixtures.full(0)])
        // error_code: a foreign key to finding_codes.
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in
                try db.execute(sql: "UPDATE domain_results SET \(column) = 'bogus' WHERE scan_id = ?", arguments: [id])
            }
        }
    }

    @Test func policyBodiesAreLossyAndCapped() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        var binary = Fixtures.plain(0)
        binary.policyBody = [0x76, 0xFF, 0xFE, 0x00, 0x41]
        var huge = Fixtures.plain(1)
        huge.policyBody = [UInt8](repeating: UInt8(ascii: "a"), count: ResultStore.policyBodyLimit + 10)
        try store.write(scanID: id, [binary, huge])
        try store.queue.read { (db: Database) throws in
            let rows = try Row.fetchAll(db, sql: "SELECT body, truncated, length(CAST(body AS BLOB)) AS n FROM policy_bodies ORDER BY position")
            #expect(rows[0]["body"] == "v\u{FFFD}\u{FFFD}\u{FFFD}A")
            #expect(rows[0]["truncated"] == false)
            #expect(rows[1]["n"] == ResultStore.policyBodyLimit)
            #expect(rows[1]["truncated"] == true)
        }
    }
}
