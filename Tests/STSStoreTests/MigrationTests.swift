import Foundation
import GRDB
import STSCore
import Testing
import STSStore

@Suite struct MigrationTests {
    @Test func emptyFileGetsTheWholeSchema() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        try store.queue.read { (db: Database) throws in
            for table in ["scans", "domain_results", "findings", "mx_hosts", "policy_mx", "raw_records",
                          "policy_bodies", "finding_codes", "mx_probes"] {
                #expect(try db.tableExists(table), "missing table \(table)")
            }
            #expect(try db.viewExists("results"))
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA synchronous") == 1) // NORMAL
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            #expect(try String.fetchOne(db, sql: "SELECT sqlite_version()") == ResultStore.sqliteVersion)
        }
    }

    /// The view's columns are a documented interface (docs/database.md): names and order.
    @Test func resultsViewColumnsAreTheDocumentedOnes() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let columns = try store.queue.read { db in try db.columns(in: "results").map(\.name) }
        #expect(columns == ["scan_id", "rank", "domain", "mx_status", "sts_record", "sts_id", "policy_status",
                            "mode", "max_age", "mx_coverage", "tlsrpt_record", "tlsrpt_rua", "error_code",
                            "error_detail", "sts_cname", "policy_host_cname", "http_status", "scanned_at",
                            "position", "delivery"])
    }

    @Test func findingCodesMirrorTheVocabularyAndReopenIsIdempotent() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        _ = try ResultStore(path: temp.path)
        let store = try ResultStore(path: temp.path) // second open: migrations already applied
        try store.queue.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM finding_codes") == FindingCode.allCases.count)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM finding_codes WHERE code = 'mx-not-covered'")
            #expect(row?["severity"] == "error")
            #expect(row?["stage"] == "mx-coverage")
            #expect(row?["result_type"] == "validation-failure")
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            #expect(applied == ["v1-schema", "v2-mx-probes", "v3-scan-parts", "v4-address-attempts"])
        }
    }

    /// v2 stores the delivery verdict and one mx_probes row per host and scan; a host
    /// probed again (a resume) keeps its first row; a vocabulary outside the CHECK is refused.
    @Test func deliveryAndMXProbesRoundTrip() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let probe = MXProbeRecord(host: "mx.example.com", address: "192.0.2.25", outcome: .failure(.mxCertExpired),
                                  detail: "not after 2020", tlsVersion: "TLSv1.3", certSANs: ["mx.example.com", "*.example.com"],
                                  certSHA256: String(repeating: "ab", count: 32), chainLength: 2, verifyResult: 10,
                                  elapsedMs: 12, probedAt: Date())
        var first = Fixtures.plain(0)
        first.delivery = .degraded
        first.mxProbes = [probe]
        var second = Fixtures.plain(1)
        second.mxProbes = [MXProbeRecord(host: "mx.example.com", outcome: .ok, elapsedMs: 1, probedAt: Date())]
        try store.write(scanID: id, [first, second])
        try store.queue.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT coalesce(delivery, '-') FROM results ORDER BY position") == ["degraded", "-"])
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM mx_probes"))
            #expect(row["outcome"] == "mx-cert-expired")
            #expect(row["cert_san"] == "mx.example.com,*.example.com")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM mx_probes") == 1)
        }
        #expect(throws: (any Error).self) {
            try store.queue.write { db in try db.execute(sql: "UPDATE domain_results SET delivery = 'maybe'") }
        }
    }

    /// v4 keeps every address tried (RFC 5321 §5.1; issue 20): an MX probe's and a policy
    /// fetch's, as `ADDR outcome` text, NULL when none was tried.
    @Test func addressAttemptsRoundTrip() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let attempts = [AddressAttempt(address: "192.0.2.8", outcome: "mx-connect-refused"),
                        AddressAttempt(address: "::1", outcome: "ok")]
        var first = Fixtures.plain(0)
        first.mxProbes = [MXProbeRecord(host: "mx.example.com", address: "::1", outcome: .ok, elapsedMs: 3,
                                        probedAt: Date(), attempts: attempts),
                          MXProbeRecord(host: "v6.example.com", outcome: .failure(.mxHostIPv6Only), elapsedMs: 0, probedAt: Date())]
        first.policyAttempts = [AddressAttempt(address: "192.0.2.2", outcome: "connect-refused"),
                                AddressAttempt(address: "192.0.2.1", outcome: "200")]
        try store.write(scanID: id, [first, Fixtures.plain(1)])
        try store.queue.read { db in
            let probes = try Row.fetchAll(db, sql: "SELECT host, attempts FROM mx_probes ORDER BY host")
            #expect(probes[0]["attempts"] == "192.0.2.8 mx-connect-refused, ::1 ok")
            #expect((probes[1]["attempts"] as String?) == nil)
            let policy = try String?.fetchAll(db, sql: "SELECT policy_attempts FROM domain_results ORDER BY position")
            #expect(policy == ["192.0.2.2 connect-refused, 192.0.2.1 200", nil])
            #expect(AddressAttempt.parse(probes[0]["attempts"]) == attempts)
        }
    }

    @Test func scanMetadataRoundTrips() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let unfinished = try #require(try store.lastUnfinishedScan())
        #expect(unfinished.id == id)
        #expect(unfinished.metadata == Fixtures.metadata)
        #expect(unfinished.finishedAt == nil)
        var failed = Fixtures.plain(1)
        failed.findings.append(Finding(.mxDNSTimeout))
        try store.write(scanID: id, [Fixtures.plain(0), failed])
        try store.updateProgress(scanID: id, done: 2, errors: 1)
        #expect(try store.scan(id: id)?.domainsDone == 2)
        try store.finishScan(scanID: id, total: 2, inputSHA256: String(repeating: "ab", count: 32))
        #expect(try store.lastUnfinishedScan() == nil)
        let finished = try #require(try store.scan(id: id))
        #expect(finished.finishedAt != nil)
        #expect(finished.domainsTotal == 2)
        #expect(finished.rowsStored == 2)
        #expect(finished.errors == 1)  // counted from the rows with an error_code (issue 13)
    }

    @Test func timestampsAreISO8601UTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_767_225_602.5)
        #expect(Timestamp.string(from: date) == "2026-01-01T00:00:02.500Z")
        #expect(Timestamp.date(from: "2026-01-01T00:00:02.500Z") == date)
        #expect(Timestamp.date(from: "2026-01-01T00:00:02Z") == Date(timeIntervalSince1970: 1_767_225_602))
        #expect(Timestamp.date(from: "yesterday") == nil)
    }
}
