import Foundation
import GRDB
import STSStore

/// Databases for the series report: the fixture's two scans plus the cases a repeated survey
/// meets (a shard of a list also scanned whole, a scan of another list, an unfinished scan),
/// and large synthetic multi-scan databases filled by SQL for counting and timing.
enum SeriesDatabase {
    /// One synthetic scan: `rows` domains, a valid-looking record on every `every`-th, the
    /// valid policies' modes set by `enforce` (policies with k < enforce enforce), a valid
    /// TLS-RPT record on every `tlsrpt`-th, delivery verdicts when `probed`.
    struct Scan {
        var rows: Int
        var every: Int
        var enforce: Int
        var tlsrpt: Int
        var day: Int
        var input = "synthetic.csv"
        var sha: String? = "ab"
        var shard: String?
        var finished = true
        var probed = true
    }

    /// The fixture (scans 1 and 2 of top-mail.csv) plus: scan 3, shard 0/2 of the same list
    /// file (counted in scan 1, so not a point); scan 4, a finished scan of another list;
    /// scan 5, an unfinished scan of top-mail.csv.
    static func makeFixture() throws -> (directory: URL, path: String) {
        let fixture = try FixtureDatabase.make()
        let store = try ResultStore(path: fixture.path)
        var shard = FixtureDatabase.metadata(3)
        shard.shard = "0/2"
        try FixtureDatabase.write(store, scan: 3, records: Array(FixtureDatabase.secondScan().prefix(6)), metadata: shard)
        try FixtureDatabase.write(store, scan: 4, records: [
            FixtureDatabase.entry(0, "mike.com", rank: 1, sts: "valid", policy: "valid", mode: "enforce", maxAge: 604_800,
                                  coverage: "all", tlsrpt: "valid", rua: "mailto:tls@mike.com"),
            FixtureDatabase.entry(1, "november.org", rank: 2, sts: "valid", policy: "valid", mode: "testing", maxAge: 86_400,
                                  coverage: "all"),
            FixtureDatabase.entry(2, "oscar.net", rank: 3),
            FixtureDatabase.entry(3, "papa.de", rank: 4, mx: "nxdomain", findings: [.init(.domainNXDomain)]),
        ], metadata: FixtureDatabase.metadata(4, input: "other-list.csv"))
        let unfinished = try store.beginScan(FixtureDatabase.metadata(5))
        try store.write(scanID: unfinished, Array(FixtureDatabase.secondScan().prefix(3)))
        return fixture
    }

    /// A database of `scans` filled by SQL (fast enough for 12 x 1,000,000 rows).
    static func fill(path: String, scans: [Scan]) throws {
        let store = try ResultStore(path: path)
        for scan in scans {
            var metadata = FixtureDatabase.metadata(scan.day, input: scan.input)
            metadata.shard = scan.shard
            let id = try store.beginScan(metadata)
            try store.queue.write { db in
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :rows - 1),
                    d AS (SELECT i,
                                 CASE WHEN i % 100 = 7 THEN 'nxdomain' WHEN i % 100 = 8 THEN 'timeout'
                                      WHEN i % 10 = 3 THEN 'nodata' ELSE 'ok' END AS mx,
                                 CASE WHEN i % :every = 0 THEN 'valid' WHEN i % 250 = 1 THEN 'invalid' ELSE 'absent' END AS sts,
                                 (i / :every) % 10 AS k
                          FROM n),
                    p AS (SELECT *, CASE WHEN sts = 'valid' THEN CASE WHEN k = 9 THEN 'fetch-error' WHEN k = 8 THEN 'invalid'
                                                                       ELSE 'valid' END END AS policy,
                                    CASE WHEN sts = 'valid' AND k < 9 THEN CASE WHEN k < :enforce THEN 'enforce'
                                                                                 WHEN k % 2 = 0 THEN 'testing' ELSE 'none' END END AS mode
                          FROM d)
                    INSERT INTO domain_results(scan_id, position, rank, domain, input, mx_status, sts_record,
                        policy_status, mode, tlsrpt_record, delivery, scanned_at, duration_ms, tld)
                    SELECT :scan, i, i + 1, 'domain' || i || '.com', 'domain' || i, mx, sts, policy, mode,
                           CASE WHEN i % :tlsrpt = 0 THEN 'valid' WHEN mx = 'timeout' THEN 'error' ELSE 'absent' END,
                           CASE WHEN :probed AND policy = 'valid' AND mode IN ('enforce', 'testing') AND mx = 'ok'
                                THEN CASE WHEN i % 3 = 0 THEN 'fails' WHEN i % 7 = 0 THEN 'degraded' ELSE 'ok' END END,
                           '2026-01-01T00:00:00.000Z', 10, 'com'
                    FROM p
                    """, arguments: ["rows": scan.rows, "every": scan.every, "enforce": scan.enforce,
                                     "tlsrpt": scan.tlsrpt, "probed": scan.probed, "scan": id])
            }
            if scan.finished { try store.finishScan(scanID: id, total: scan.rows, inputSHA256: scan.sha) }
        }
    }
}
