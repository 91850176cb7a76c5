import Foundation
import GRDB
import STSCore

/// Inserts records inside one write transaction with prepared (cached) statements: the
/// hot path of a scan, which must sustain tens of thousands of rows per second.
struct BatchWriter {
    private let db: Database
    private let result: Statement
    private let finding: Statement
    private let mxHost: Statement
    private let policyMX: Statement
    private let rawRecord: Statement
    private let policyBody: Statement

    init(_ db: Database) throws {
        self.db = db
        result = try db.cachedStatement(sql: """
            INSERT INTO domain_results(scan_id, position, rank, domain, input, mx_status, sts_record,
                sts_id, sts_cname, policy_status, policy_host_cname, policy_address, http_status, mode, max_age,
                mx_coverage, tlsrpt_record, tlsrpt_rua, error_code, error_detail, scanned_at, duration_ms, tld)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (scan_id, position) DO NOTHING
            """)
        // Not `INSERT OR IGNORE`: that would also silently drop rows failing a CHECK or
        // NOT NULL constraint. The upsert clause ignores only the replayed primary key.
        finding = try db.cachedStatement(sql: """
            INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        mxHost = try db.cachedStatement(sql: """
            INSERT INTO mx_hosts(scan_id, position, seq, preference, host, covered) VALUES (?, ?, ?, ?, ?, ?)
            """)
        policyMX = try db.cachedStatement(sql: """
            INSERT INTO policy_mx(scan_id, position, seq, pattern) VALUES (?, ?, ?, ?)
            """)
        rawRecord = try db.cachedStatement(sql: """
            INSERT INTO raw_records(scan_id, position, seq, kind, text) VALUES (?, ?, ?, ?, ?)
            """)
        policyBody = try db.cachedStatement(sql: """
            INSERT INTO policy_bodies(scan_id, position, body, truncated) VALUES (?, ?, ?, ?)
            """)
    }

    /// Inserts one record and its children; false when (scan_id, position) already existed,
    /// (the replay case of "INSERT OR IGNORE" semantics), in which case nothing is written (the stored row and children stay as they were).
    func insert(scanID: Int64, _ r: DomainRecord) throws -> Bool {
        try result.execute(arguments: [
            scanID, r.position, r.rank, r.domain, r.input, r.mxStatus, r.stsRecord,
            r.stsID, r.stsCNAME, r.policyStatus, r.policyHostCNAME, r.policyAddress, r.httpStatus, r.mode, r.maxAge,
            r.mxCoverage, r.tlsrptRecord, r.tlsrptRUA, r.errorCode, r.errorDetail,
            Timestamp.string(from: r.scannedAt), r.durationMs, Self.tld(of: r.domain),
        ])
        guard db.changesCount > 0 else { return false }
        for (seq, item) in r.findings.enumerated() {
            try finding.execute(arguments: [scanID, r.position, seq, item.code.rawValue,
                                            item.severity.rawValue, item.stage.rawValue, item.detail])
        }
        for (seq, host) in r.mxHosts.enumerated() {
            try mxHost.execute(arguments: [scanID, r.position, seq, host.preference, host.host, host.covered])
        }
        for (seq, pattern) in r.policyMX.enumerated() {
            try policyMX.execute(arguments: [scanID, r.position, seq, pattern])
        }
        for (seq, raw) in r.rawRecords.enumerated() {
            try rawRecord.execute(arguments: [scanID, r.position, seq, raw.kind, raw.text])
        }
        if let body = r.policyBody {
            let (text, truncated) = PolicyBodyText.decode(body)
            try policyBody.execute(arguments: [scanID, r.position, text, truncated])
        }
        return true
    }
}

extension BatchWriter {
    /// The last label of `domain` (the whole name when it has no dot; a trailing dot is ignored).
    static func tld(of domain: String) -> String {
        let name = domain.hasSuffix(".") ? domain.dropLast() : Substring(domain)
        guard let dot = name.lastIndex(of: ".") else { return String(name) }
        return String(name[name.index(after: dot)...])
    }
}

/// How a policy body is stored: lossy UTF-8 text (invalid sequences and NUL become U+FFFD,
/// since NUL cuts TEXT short in many SQLite clients) of at most `ResultStore.policyBodyLimit`
/// input bytes, plus whether anything was cut.
enum PolicyBodyText {
    static func decode(_ body: [UInt8]) -> (text: String, truncated: Bool) {
        let limit = ResultStore.policyBodyLimit
        let kept = body.count <= limit ? body[...] : body[..<limit]
        var text = String(decoding: kept, as: UTF8.self)
        if kept.contains(0) { text = text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        return (text, body.count > limit)
    }
}
