import Foundation
import GRDB
import STSCore

/// Inserts records inside one write transaction with prepared statements bound through the
/// C API (`RawStatement`): the hot path of a scan, which must sustain tens of thousands of
/// rows per second. Lives for one batch.
struct BatchWriter {
    private let result: RawStatement
    private let finding: RawStatement
    private let mxHost: RawStatement
    private let policyMX: RawStatement
    private let rawRecord: RawStatement
    private let policyBody: RawStatement
    private let mxProbe: RawStatement

    init(_ db: Database) throws {
        result = try RawStatement(db, sql: """
            INSERT INTO domain_results(scan_id, position, rank, domain, input, mx_status, sts_record,
                sts_id, sts_cname, policy_status, policy_host_cname, policy_address, http_status, mode, max_age,
                mx_coverage, tlsrpt_record, tlsrpt_rua, error_code, error_detail, scanned_at, duration_ms, tld, delivery)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (scan_id, position) DO NOTHING
            """)
        // Not `INSERT OR IGNORE`: that would also silently drop rows failing a CHECK or
        // NOT NULL constraint. The upsert clause ignores only the replayed primary key.
        finding = try RawStatement(db, sql: """
            INSERT INTO findings(scan_id, position, seq, code, severity, stage, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        mxHost = try RawStatement(db, sql: """
            INSERT INTO mx_hosts(scan_id, position, seq, preference, host, covered) VALUES (?, ?, ?, ?, ?, ?)
            """)
        policyMX = try RawStatement(db, sql: """
            INSERT INTO policy_mx(scan_id, position, seq, pattern) VALUES (?, ?, ?, ?)
            """)
        rawRecord = try RawStatement(db, sql: """
            INSERT INTO raw_records(scan_id, position, seq, kind, text) VALUES (?, ?, ?, ?, ?)
            """)
        policyBody = try RawStatement(db, sql: """
            INSERT INTO policy_bodies(scan_id, position, body, truncated) VALUES (?, ?, ?, ?)
            """)
        // A host probed again after a resume keeps its first row.
        mxProbe = try RawStatement(db, sql: """
            INSERT INTO mx_probes(scan_id, host, address, ipv6_address, outcome, detail, greeting, tls_version,
                tls_cipher, cert_subject, cert_issuer, cert_san, cert_not_after, cert_sha256, chain_length,
                verify_result, elapsed_ms, probed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (scan_id, host) DO NOTHING
            """)
    }

    /// Inserts one record and its children; false when (scan_id, position) already existed
    /// (a replayed batch: `ON CONFLICT DO NOTHING` skipped the row), in which case nothing
    /// is written and the stored row and children stay as they were.
    func insert(scanID: Int64, _ r: DomainRecord) throws -> Bool {
        result.bind(scanID); result.bind(r.position); result.bind(r.rank); result.bind(r.domain)
        result.bind(r.input); result.bind(r.mxStatus); result.bind(r.stsRecord); result.bind(r.stsID)
        result.bind(r.stsCNAME); result.bind(r.policyStatus); result.bind(r.policyHostCNAME)
        result.bind(r.policyAddress); result.bind(r.httpStatus); result.bind(r.mode); result.bind(r.maxAge)
        result.bind(r.mxCoverage); result.bind(r.tlsrptRecord); result.bind(r.tlsrptRUA); result.bind(r.errorCode)
        result.bind(r.errorDetail); result.bind(Timestamp.string(from: r.scannedAt)); result.bind(r.durationMs)
        result.bind(Self.tld(of: r.domain)); result.bind(r.delivery)
        guard try result.run() > 0 else { return false }
        for (seq, item) in r.findings.enumerated() where !Self.restatedByResultRow.contains(item.code) {
            finding.bind(scanID); finding.bind(r.position); finding.bind(seq); finding.bind(item.code.rawValue)
            finding.bind(item.severity.rawValue); finding.bind(item.stage.rawValue); finding.bind(item.detail)
            try finding.run()
        }
        for (seq, host) in r.mxHosts.enumerated() {
            mxHost.bind(scanID); mxHost.bind(r.position); mxHost.bind(seq); mxHost.bind(host.preference)
            mxHost.bind(host.host); mxHost.bind(host.covered)
            try mxHost.run()
        }
        for (seq, pattern) in r.policyMX.enumerated() {
            policyMX.bind(scanID); policyMX.bind(r.position); policyMX.bind(seq); policyMX.bind(pattern)
            try policyMX.run()
        }
        for (seq, raw) in r.rawRecords.enumerated() {
            rawRecord.bind(scanID); rawRecord.bind(r.position); rawRecord.bind(seq); rawRecord.bind(raw.kind)
            rawRecord.bind(raw.text)
            try rawRecord.run()
        }
        for probe in r.mxProbes {
            mxProbe.bind(scanID); mxProbe.bind(probe.host); mxProbe.bind(probe.address); mxProbe.bind(probe.ipv6Address)
            mxProbe.bind(probe.outcome); mxProbe.bind(probe.detail); mxProbe.bind(probe.greeting)
            mxProbe.bind(probe.tlsVersion); mxProbe.bind(probe.tlsCipher); mxProbe.bind(probe.certSubject)
            mxProbe.bind(probe.certIssuer); mxProbe.bind(probe.certSANs.isEmpty ? nil : probe.certSANs.joined(separator: ","))
            mxProbe.bind(probe.certNotAfter); mxProbe.bind(probe.certSHA256); mxProbe.bind(probe.chainLength)
            mxProbe.bind(probe.verifyResult); mxProbe.bind(probe.elapsedMs)
            mxProbe.bind(Timestamp.string(from: probe.probedAt))
            try mxProbe.run()
        }
        if let body = r.policyBody {
            let (text, truncated) = PolicyBodyText.decode(body)
            policyBody.bind(scanID); policyBody.bind(r.position); policyBody.bind(text); policyBody.bind(truncated)
            try policyBody.run()
        }
        return true
    }
}

extension BatchWriter {
    /// Findings the `domain_results` row already states, not stored as `findings` rows:
    /// `txt-absent` is `sts_record = 'absent'`, `tlsrpt-absent` is `tlsrpt_record = 'absent'`
    /// (the unrelated TXT records they may mention are in `raw_records`). Nearly every domain
    /// of a survey has both: storing them would triple the findings table and cost a third
    /// of the writer's time. `seq` keeps its gaps.
    static let restatedByResultRow: Set<FindingCode> = [.txtAbsent, .tlsrptAbsent]

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
