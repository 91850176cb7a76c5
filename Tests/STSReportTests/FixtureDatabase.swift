import Foundation
import GRDB
import STSCore
import STSStore

/// A small, fixed scan database built through the real writer: two scans of the same
/// list (the second with changes for `diff`), covering every status, bucket and section.
enum FixtureDatabase {
    static let epoch = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    /// A temporary directory holding `scan.sqlite`; the caller removes it.
    static func make(hostile: Bool = false) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stsreport-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("scan.sqlite").path
        let store = try ResultStore(path: path)
        if hostile {
            try writeHostile(store)
        } else {
            try write(store, scan: 1, records: firstScan())
            try write(store, scan: 2, records: secondScan())
        }
        return (directory, path)
    }

    static func metadata(_ scan: Int, input: String = "top-mail.csv", resolver: String = "127.0.53.2:53",
                         option: String = "2000") -> ScanMetadata {
        ScanMetadata(startedAt: epoch.addingTimeInterval(Double(scan) * 86400), toolVersion: "0.1.0",
                     caresVersion: "1.18.1", curlVersion: "7.88.1", sqliteVersion: "3.40.1",
                     resolvers: [resolver], options: ["concurrency": option, "dns-timeout": "2"],
                     inputName: input, shard: nil)
    }

    static func write(_ store: ResultStore, scan: Int, records: [DomainRecord],
                      metadata: ScanMetadata? = nil) throws {
        let id = try store.beginScan(metadata ?? self.metadata(scan))
        try store.write(scanID: id, records)
        try store.finishScan(scanID: id, total: records.count, inputSHA256: String(repeating: "0f", count: 32))
        // A fixed end time, so golden outputs do not depend on when the test ran.
        try store.queue.write { db in
            try db.execute(sql: "UPDATE scans SET finished_at = ? WHERE id = ?",
                           arguments: [Timestamp.string(from: epoch.addingTimeInterval(Double(id) * 86400 + 3600)), id])
        }
    }

    /// One list entry. Fields default to a domain without MTA-STS.
    static func entry(_ position: Int, _ domain: String, rank: Int?, mx: String = "ok", sts: String = "absent",
                      policy: String? = nil, mode: String? = nil, maxAge: Int? = nil, coverage: String? = nil,
                      tlsrpt: String = "absent", rua: String? = nil, stsCNAME: String? = nil, hostCNAME: String? = nil,
                      findings: [Finding] = [], hosts: [MXHost] = []) -> DomainRecord {
        // Strings keep the fixture readable; `!` makes a misspelt status fail loudly.
        var r = DomainRecord(position: position, rank: rank, domain: domain, input: domain,
                             scannedAt: epoch.addingTimeInterval(Double(position)))
        r.mxStatus = MXStatus(rawValue: mx)!
        r.stsRecord = RecordStatus(rawValue: sts)!
        r.stsID = sts == "valid" ? "2026010100" : nil
        r.stsCNAME = stsCNAME
        r.policyStatus = policy.map { PolicyStatus(rawValue: $0)! }
        r.policyHostCNAME = hostCNAME
        r.policyAddress = policy == nil ? nil : "127.0.54.1"
        r.httpStatus = policy == nil || policy == "fetch-error" ? nil : 200
        r.mode = mode.map { PolicyMode(rawValue: $0)! }
        r.maxAge = maxAge
        r.mxCoverage = coverage.map { MXCoverage(rawValue: $0)! }
        r.tlsrptRecord = RecordStatus(rawValue: tlsrpt)!
        r.tlsrptRUA = rua.map { [$0] } ?? []
        r.durationMs = 10 + position
        r.findings = findings
        r.mxHosts = hosts.isEmpty && mx == "ok" ? [MXHost(preference: 10, host: "mx.\(domain)")] : hosts
        r.policyMX = policy == "valid" ? ["mx.\(domain)"] : []
        return r
    }

    /// An MX STARTTLS probe row.
    static func probe(_ host: String, _ outcome: String, tls: String? = "TLSv1.3", notAfter: String? = "2026-06-01T00:00:00Z")
        -> MXProbeRecord {
        MXProbeRecord(host: host, address: "127.0.55.1", outcome: MXProbeOutcome(rawValue: outcome)!, detail: outcome == "ok" ? nil : "curl 64",
                      greeting: "220 \(host) ESMTP", tlsVersion: outcome == "mx-starttls-missing" ? nil : tls,
                      certIssuer: "CN = Test CA", certSANs: [host], certNotAfter: outcome == "mx-starttls-missing" ? nil : notAfter,
                      elapsedMs: 20, probedAt: epoch)
    }

    /// The first scan with the MX probes and delivery verdicts of its enforce/testing policies:
    /// alpha ok (certificate expiring in 19 days), bravo fails (no STARTTLS), charlie fails
    /// (its MX is not covered), delta degraded (its backup is not covered; its certificate
    /// expired before the scan, which the expiry section lists but this fixture's TLS ignores).
    static func firstScan() -> [DomainRecord] {
        var records = firstScanPublished()
        records[0].delivery = .ok
        records[0].mxProbes = [probe("mx.alpha.com", "ok", notAfter: "2026-01-21T00:00:00Z")]
        records[1].delivery = .fails
        records[1].mxProbes = [probe("mx.bravo.org", "mx-starttls-missing")]
        records[1].findings += [Finding(.mxStartTLSMissing, "mx.bravo.org: curl 64"), Finding(.deliveryFails, "no MX host passes: mx.bravo.org")]
        records[2].delivery = .fails
        records[2].mxProbes = [probe("mail.charlie.de", "ok", tls: "TLSv1.2")]
        records[2].findings += [Finding(.deliveryFails, "no MX host passes: mail.charlie.de")]
        records[3].delivery = .degraded
        records[3].mxProbes = [probe("mx1.delta.com", "ok"), probe("mx2.delta.com", "ok", notAfter: "2025-12-01T00:00:00Z")]
        records[3].findings += [Finding(.deliveryDegraded, "1 of 2 MX hosts fail: mx2.delta.com")]
        records[11].delivery = .ok
        return records
    }

    static func firstScanPublished() -> [DomainRecord] {
        [
            entry(0, "alpha.com", rank: 1, sts: "valid", policy: "valid", mode: "enforce", maxAge: 604_800,
                  coverage: "all", tlsrpt: "valid", rua: "mailto:tls@alpha.com",
                  hosts: [MXHost(preference: 10, host: "mx.alpha.com", covered: true)]),
            entry(1, "bravo.org", rank: 500, sts: "valid", policy: "valid", mode: "testing", maxAge: 86_400,
                  coverage: "all", tlsrpt: "valid", rua: "https://rpt.bravo.org/tls",
                  stsCNAME: "_mta-sts.hosted.provider-a.net.", hostCNAME: "mta-sts.hosted.provider-a.net",
                  findings: [Finding(.txtCNAME, "_mta-sts.hosted.provider-a.net"), Finding(.policyHostCNAME, "mta-sts.hosted.provider-a.net")],
                  hosts: [MXHost(preference: 10, host: "mx.bravo.org", covered: true)]),
            entry(2, "charlie.de", rank: 5_000, sts: "valid", policy: "valid", mode: "enforce", maxAge: 31_557_600,
                  coverage: "none", tlsrpt: "valid", rua: "mailto:a@charlie.de,https://r.charlie.de/",
                  hostCNAME: "sts.provider-b.com",
                  findings: [Finding(.mxNotCovered, "mail.charlie.de")],
                  hosts: [MXHost(preference: 10, host: "mail.charlie.de", covered: false)]),
            entry(3, "delta.com", rank: 50_000, sts: "valid", policy: "valid", mode: "enforce", maxAge: 604_800,
                  coverage: "some", hostCNAME: "sts.provider-b.com",
                  findings: [Finding(.mxPartlyCovered, "mx2.delta.com")],
                  hosts: [MXHost(preference: 10, host: "mx1.delta.com", covered: true),
                          MXHost(preference: 20, host: "mx2.delta.com", covered: false)]),
            entry(4, "echo.com", rank: 500_000, sts: "valid", policy: "valid", mode: "none", maxAge: 3_600,
                  findings: [Finding(.policyMaxAgeLow, "3600")]),
            entry(5, "foxtrot.net", rank: 2_000_000, sts: "invalid", findings: [Finding(.txtMultipleRecords, "2 records")]),
            entry(6, "golf.com", rank: 7, sts: "valid", policy: "fetch-error", tlsrpt: "invalid",
                  findings: [Finding(.certExpired, "X509_V_ERR 10"), Finding(.tlsrptBadURI, "ftp://x")]),
            entry(7, "hotel.org", rank: 70, sts: "valid", policy: "invalid", mode: "enforce",
                  findings: [Finding(.policyMaxAge, "99999999")]),
            entry(8, "india.com", rank: nil, mx: "nxdomain", findings: [Finding(.domainNXDomain)]),
            entry(9, "juliett.xn--p1ai", rank: nil, mx: "timeout", sts: "error", tlsrpt: "error",
                  findings: [Finding(.mxDNSTimeout), Finding(.txtDNSTimeout), Finding(.tlsrptDNSTimeout)]),
            entry(10, "kilo.com", rank: 12, mx: "nodata", findings: [Finding(.mxMissing)]),
            entry(11, "alpha.com", rank: 13, sts: "valid", policy: "valid", mode: "enforce", maxAge: 604_800,
                  coverage: "all", tlsrpt: "valid", rua: "mailto:tls@alpha.com",
                  findings: [Finding(.inputDuplicate, "alpha.com")],
                  hosts: [MXHost(preference: 10, host: "mx.alpha.com", covered: true)]),
        ]
    }

    /// The same list a month later: bravo enforces, alpha lengthens max_age, delta breaks,
    /// golf is fixed, foxtrot deploys, echo withdraws.
    static func secondScan() -> [DomainRecord] {
        var records = firstScan()
        records[0].maxAge = 1_209_600
        records[1].mode = .enforce
        records[3] = entry(3, "delta.com", rank: 50_000, sts: "valid", policy: "fetch-error", hostCNAME: "sts.provider-b.com",
                           findings: [Finding(.connectRefused, "127.0.54.2:443")])
        records[4] = entry(4, "echo.com", rank: 500_000)
        records[5] = entry(5, "foxtrot.net", rank: 2_000_000, sts: "valid", policy: "valid", mode: "testing",
                           maxAge: 86_400, coverage: "all", hosts: [MXHost(preference: 5, host: "mx.foxtrot.net", covered: true)])
        records[6] = entry(6, "golf.com", rank: 7, sts: "valid", policy: "valid", mode: "testing", maxAge: 604_800,
                           coverage: "all", tlsrpt: "valid", rua: "mailto:r@golf.com",
                           hosts: [MXHost(preference: 10, host: "mx.golf.com", covered: true)])
        records[5].delivery = .ok
        records[5].mxProbes = [probe("mx.foxtrot.net", "ok")]
        records[6].delivery = .ok
        records[6].mxProbes = [probe("mx.golf.com", "ok")]
        return records
    }

    /// Strings that must never reach a reader unescaped.
    static let hostileStrings = [
        "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\u{1b}[31mred\u{1b}[0m", "a|b`c`", "line1\nline2\r",
        "+1-2", "@SUM(A1)", "-3+4", "\tTAB", "\u{202e}evil", "\"quoted\", comma", "# heading *bold* _x_ [l](u)",
    ]

    private static func writeHostile(_ store: ResultStore) throws {
        let hostile = hostileStrings.joined(separator: " ")
        let meta = metadata(1, input: hostile, resolver: hostile, option: hostile)
        var records: [DomainRecord] = []
        for (index, text) in hostileStrings.enumerated() {
            // The primary error's detail (error_detail) is the hostile text too.
            records.append(entry(index, text, rank: index + 1, sts: "valid", policy: "valid", mode: "enforce",
                                 maxAge: 604_800, coverage: "none", tlsrpt: "valid", rua: "mailto:" + text,
                                 stsCNAME: "x." + text, hostCNAME: text,
                                 findings: [Finding(.mxNotCovered, text)],
                                 hosts: [MXHost(preference: 10, host: text, covered: false)]))
        }
        let id = try store.beginScan(meta)
        try store.write(scanID: id, records)
        try store.finishScan(scanID: id, total: records.count, inputSHA256: nil)
    }
}
