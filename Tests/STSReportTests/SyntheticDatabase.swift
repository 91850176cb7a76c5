import Foundation
import GRDB
import STSStore

/// A large synthetic scan filled by SQL (recursive CTE), for report timing: about 2%
/// MTA-STS adoption with every status represented, ranks 1..N, five TLDs, three findings
/// per domain on average.
enum SyntheticDatabase {
    static func fill(path: String, rows: Int) throws {
        let store = try ResultStore(path: path)
        let id = try store.beginScan(FixtureDatabase.metadata(1, input: "synthetic-\(rows).csv"))
        try store.queue.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :rows - 1),
                d AS (SELECT i,
                             CASE WHEN i % 100 = 7 THEN 'nxdomain' WHEN i % 100 = 8 THEN 'timeout'
                                  WHEN i % 10 = 3 THEN 'nodata' ELSE 'ok' END AS mx,
                             CASE WHEN i % 50 = 0 THEN 'valid' WHEN i % 250 = 1 THEN 'invalid' ELSE 'absent' END AS sts,
                             (i / 50) % 10 AS k
                      FROM n)
                INSERT INTO domain_results(scan_id, position, rank, domain, input, mx_status, sts_record, sts_id,
                    sts_cname, policy_status, policy_host_cname, policy_address, http_status, mode, max_age, mx_coverage,
                    tlsrpt_record, tlsrpt_rua, error_code, error_detail, scanned_at, duration_ms, tld)
                SELECT :scan, i, i + 1,
                       'domain' || i || '.' || CASE i % 5 WHEN 0 THEN 'com' WHEN 1 THEN 'net' WHEN 2 THEN 'org'
                                                          WHEN 3 THEN 'de' ELSE 'co.uk' END,
                       'domain' || i, mx, sts,
                       CASE WHEN sts = 'valid' THEN '2026' || k END,
                       CASE WHEN sts = 'valid' AND k < 3 THEN '_mta-sts.p' || k || '.provider.net' END,
                       CASE WHEN sts = 'valid' THEN CASE WHEN k = 9 THEN 'fetch-error' WHEN k = 8 THEN 'invalid' ELSE 'valid' END END,
                       CASE WHEN sts = 'valid' AND k < 5 THEN 'mta-sts.host' || k || '.example-hosting.com' END,
                       CASE WHEN sts = 'valid' THEN '127.0.54.1' END,
                       CASE WHEN sts = 'valid' AND k != 9 THEN 200 END,
                       CASE WHEN sts = 'valid' AND k < 9 THEN CASE k % 3 WHEN 0 THEN 'enforce' WHEN 1 THEN 'testing' ELSE 'none' END END,
                       CASE WHEN sts = 'valid' AND k < 9 THEN CASE k % 4 WHEN 0 THEN 604800 WHEN 1 THEN 86400
                                                                          WHEN 2 THEN 31557600 ELSE 3600 * k END END,
                       CASE WHEN sts = 'valid' AND k < 8 AND k % 3 < 2 AND mx = 'ok' THEN CASE WHEN k = 6 THEN 'none' WHEN k = 3 THEN 'some' ELSE 'all' END END,
                       CASE WHEN i % 40 = 0 THEN 'valid' WHEN i % 400 = 3 THEN 'invalid' WHEN mx = 'timeout' THEN 'error' ELSE 'absent' END,
                       CASE WHEN i % 40 = 0 THEN CASE WHEN i % 120 = 0 THEN 'mailto:tls@x.example,https://r.example/' ELSE 'mailto:tls@x.example' END END,
                       CASE WHEN mx = 'nxdomain' THEN 'domain-nxdomain' WHEN mx = 'timeout' THEN 'mx-dns-timeout'
                            WHEN sts = 'invalid' THEN 'txt-multiple-records' WHEN sts = 'valid' AND k = 9 THEN 'cert-expired'
                            WHEN sts = 'valid' AND k = 8 THEN 'policy-max-age'
                            WHEN sts = 'valid' AND k = 6 AND mx = 'ok' THEN 'mx-not-covered' END,
                       NULL, '2026-01-01T00:00:00.000Z', 20,
                       CASE i % 5 WHEN 0 THEN 'com' WHEN 1 THEN 'net' WHEN 2 THEN 'org' WHEN 3 THEN 'de' ELSE 'uk' END
                FROM d
                """, arguments: ["rows": rows, "scan": id])
            // Three findings per domain on average: the two absent-record infos plus the primary error.
            try db.execute(sql: """
                INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail)
                SELECT scan_id, position, 0, 'txt-absent', 'info', 'sts-record', '' FROM domain_results
                WHERE scan_id = :scan AND sts_record = 'absent';
                INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail)
                SELECT scan_id, position, 1, 'tlsrpt-absent', 'info', 'tlsrpt', '' FROM domain_results
                WHERE scan_id = :scan AND tlsrpt_record = 'absent';
                INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail)
                SELECT d.scan_id, d.position, 2, d.error_code, c.severity, c.stage, 'synthetic'
                FROM domain_results d JOIN finding_codes c ON c.code = d.error_code
                WHERE d.scan_id = :scan AND d.error_code IS NOT NULL;
                INSERT INTO mx_hosts(scan_id, position, seq, preference, host, covered)
                SELECT scan_id, position, 0, 10, 'mx.' || domain, mx_coverage = 'all' FROM domain_results
                WHERE scan_id = :scan AND mx_status = 'ok';
                """, arguments: ["scan": id])
        }
        try store.finishScan(scanID: id, total: rows, inputSHA256: nil)
    }
}
