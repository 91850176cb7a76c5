import Foundation
import GRDB
import STSCore

/// Inserts records inside one write transaction with prepared statements bound through the
/// C API (`RawStatement`): the hot path of a scan, which must sustain tens of thousands of
/// rows per second. Lives for one batch. Each statement's SQL and its binds come from one
/// column list (`InsertColumns`), and each bind is a case of an exhaustive switch over the
/// columns, so the order cannot drift and a new column cannot go unbound.
struct BatchWriter {
    private let result: RawStatement
    private let finding: RawStatement
    private let mxHost: RawStatement
    private let policyMX: RawStatement
    private let rawRecord: RawStatement
    private let policyBody: RawStatement
    private let mxProbe: RawStatement

    init(_ db: Database) throws {
        // Not `INSERT OR IGNORE`: that would also silently drop rows failing a CHECK or
        // NOT NULL constraint. The upsert clause ignores only the replayed primary key.
        result = try RawStatement(db, sql: DomainResultColumn.insertSQL("ON CONFLICT (scan_id, position) DO NOTHING"))
        finding = try RawStatement(db, sql: FindingColumn.insertSQL())
        mxHost = try RawStatement(db, sql: MXHostColumn.insertSQL())
        policyMX = try RawStatement(db, sql: PolicyMXColumn.insertSQL())
        rawRecord = try RawStatement(db, sql: RawRecordColumn.insertSQL())
        policyBody = try RawStatement(db, sql: PolicyBodyColumn.insertSQL())
        // A host probed again after a resume keeps its first row.
        mxProbe = try RawStatement(db, sql: MXProbeColumn.insertSQL("ON CONFLICT (scan_id, host) DO NOTHING"))
    }

    /// Inserts one record and its children; false when (scan_id, position) already existed
    /// (a replayed batch: `ON CONFLICT DO NOTHING` skipped the row), in which case nothing
    /// is written and the stored row and children stay as they were.
    func insert(scanID: Int64, _ r: DomainRecord) throws -> Bool {
        let primary = r.primaryError
        for column in DomainResultColumn.ordered {
            switch column {
            case .scanID: result.bind(scanID)
            case .position: result.bind(r.position)
            case .rank: result.bind(r.rank)
            case .domain: result.bind(r.domain)
            case .input: result.bind(r.input)
            case .mxStatus: result.bind(r.mxStatus.rawValue)
            case .stsRecord: result.bind(r.stsRecord.rawValue)
            case .stsID: result.bind(r.stsID)
            case .stsCNAME: result.bind(r.stsCNAME)
            case .policyStatus: result.bind(r.policyStatus?.rawValue)
            case .policyHostCNAME: result.bind(r.policyHostCNAME)
            case .policyAddress: result.bind(r.policyAddress)
            case .httpStatus: result.bind(r.httpStatus)
            case .mode: result.bind(r.mode?.rawValue)
            case .maxAge: result.bind(r.maxAge)
            case .mxCoverage: result.bind(r.mxCoverage?.rawValue)
            case .tlsrptRecord: result.bind(r.tlsrptRecord.rawValue)
            // URIs cannot contain a raw comma (RFC 8460 §3), so the join is unambiguous.
            case .tlsrptRUA: result.bind(r.tlsrptRUA.isEmpty ? nil : r.tlsrptRUA.joined(separator: ","))
            case .errorCode: result.bind(primary?.code.rawValue)
            case .errorDetail: result.bind(primary.flatMap { $0.detail.isEmpty ? nil : $0.detail })
            case .scannedAt: result.bind(Timestamp.string(from: r.scannedAt))
            case .durationMs: result.bind(r.durationMs)
            case .tld: result.bind(Self.tld(of: r.domain))
            case .delivery: result.bind(r.delivery?.rawValue)
            }
        }
        guard try result.run() > 0 else { return false }
        for (seq, item) in r.findings.enumerated() where !Self.restatedByResultRow.contains(item.code) {
            for column in FindingColumn.ordered {
                switch column {
                case .scanID: finding.bind(scanID)
                case .position: finding.bind(r.position)
                case .seq: finding.bind(seq)
                case .code: finding.bind(item.code.rawValue)
                case .severity: finding.bind(item.severity.rawValue)
                case .stage: finding.bind(item.stage.rawValue)
                case .detail: finding.bind(item.detail)
                }
            }
            try finding.run()
        }
        for (seq, host) in r.mxHosts.enumerated() {
            for column in MXHostColumn.ordered {
                switch column {
                case .scanID: mxHost.bind(scanID)
                case .position: mxHost.bind(r.position)
                case .seq: mxHost.bind(seq)
                case .preference: mxHost.bind(host.preference)
                case .host: mxHost.bind(host.host)
                case .covered: mxHost.bind(host.covered)
                }
            }
            try mxHost.run()
        }
        for (seq, pattern) in r.policyMX.enumerated() {
            for column in PolicyMXColumn.ordered {
                switch column {
                case .scanID: policyMX.bind(scanID)
                case .position: policyMX.bind(r.position)
                case .seq: policyMX.bind(seq)
                case .pattern: policyMX.bind(pattern)
                }
            }
            try policyMX.run()
        }
        // One `seq` over both kinds: the `_mta-sts` records first, then the `_smtp._tls` ones.
        for (seq, text) in r.stsRawRecords.enumerated() {
            try insertRaw(scanID: scanID, position: r.position, seq: seq, kind: .sts, text: text)
        }
        for (index, text) in r.tlsrptRawRecords.enumerated() {
            try insertRaw(scanID: scanID, position: r.position, seq: r.stsRawRecords.count + index, kind: .tlsrpt, text: text)
        }
        for probe in r.mxProbes { try insert(scanID: scanID, probe) }
        if let body = r.policyBody {
            let (text, truncated) = PolicyBodyText.decode(body)
            for column in PolicyBodyColumn.ordered {
                switch column {
                case .scanID: policyBody.bind(scanID)
                case .position: policyBody.bind(r.position)
                case .body: policyBody.bind(text)
                case .truncated: policyBody.bind(truncated)
                }
            }
            try policyBody.run()
        }
        return true
    }

    private func insertRaw(scanID: Int64, position: Int, seq: Int, kind: RawRecordKind, text: String) throws {
        for column in RawRecordColumn.ordered {
            switch column {
            case .scanID: rawRecord.bind(scanID)
            case .position: rawRecord.bind(position)
            case .seq: rawRecord.bind(seq)
            case .kind: rawRecord.bind(kind.rawValue)
            case .text: rawRecord.bind(text)
            }
        }
        try rawRecord.run()
    }

    private func insert(scanID: Int64, _ probe: MXProbeRecord) throws {
        for column in MXProbeColumn.ordered {
            switch column {
            case .scanID: mxProbe.bind(scanID)
            case .host: mxProbe.bind(probe.host)
            case .address: mxProbe.bind(probe.address)
            case .ipv6Address: mxProbe.bind(probe.ipv6Address)
            case .outcome: mxProbe.bind(probe.outcome)
            case .detail: mxProbe.bind(probe.detail)
            case .greeting: mxProbe.bind(probe.greeting)
            case .tlsVersion: mxProbe.bind(probe.tlsVersion)
            case .tlsCipher: mxProbe.bind(probe.tlsCipher)
            case .certSubject: mxProbe.bind(probe.certSubject)
            case .certIssuer: mxProbe.bind(probe.certIssuer)
            case .certSANs: mxProbe.bind(probe.certSANs.isEmpty ? nil : probe.certSANs.joined(separator: ","))
            case .certNotAfter: mxProbe.bind(probe.certNotAfter)
            case .certSHA256: mxProbe.bind(probe.certSHA256)
            case .chainLength: mxProbe.bind(probe.chainLength)
            case .verifyResult: mxProbe.bind(probe.verifyResult)
            case .elapsedMs: mxProbe.bind(probe.elapsedMs)
            case .probedAt: mxProbe.bind(Timestamp.string(from: probe.probedAt))
            }
        }
        try mxProbe.run()
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
