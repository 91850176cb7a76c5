import Foundation
import GRDB
import STSCore

/// Inserts records inside one write transaction with prepared statements bound through the
/// C API (`RawStatement`): the hot path of a scan, which must sustain tens of thousands of
/// rows per second. Lives for one batch. Each statement's SQL and its binds come from one
/// column list (`InsertColumns`): `insertRow` binds the key, then walks the columns, and each
/// column's value is a case of an exhaustive switch, so the order cannot drift and a new
/// column cannot go unbound.
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
        let inserted = try insertRow(result, scanID: scanID) { (column: DomainResultColumn) in
            switch column {
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
            case .policyAttempts: result.bind(AddressAttempt.text(r.policyAttempts))
            }
        }
        guard inserted else { return false }
        try insertList(finding, r.findings, scanID: scanID, position: r.position,
                       skip: { Self.restatedByResultRow.contains($0.code) }) { (column: FindingColumn, item) in
            switch column {
            case .code: finding.bind(item.code.rawValue)
            case .severity: finding.bind(item.severity.rawValue)
            case .stage: finding.bind(item.stage.rawValue)
            case .detail: finding.bind(item.detail)
            }
        }
        try insertList(mxHost, r.mxHosts, scanID: scanID, position: r.position) { (column: MXHostColumn, host) in
            switch column {
            case .preference: mxHost.bind(host.preference)
            case .host: mxHost.bind(host.host)
            case .covered: mxHost.bind(host.covered)
            }
        }
        try insertList(policyMX, r.policyMX, scanID: scanID, position: r.position) { (column: PolicyMXColumn, pattern) in
            switch column {
            case .pattern: policyMX.bind(pattern)
            }
        }
        // One `seq` over both kinds: the `_mta-sts` records first, then the `_smtp._tls` ones.
        try insertRaw(.sts, r.stsRawRecords, firstSeq: 0, scanID: scanID, position: r.position)
        try insertRaw(.tlsrpt, r.tlsrptRawRecords, firstSeq: r.stsRawRecords.count, scanID: scanID, position: r.position)
        for probe in r.mxProbes { try insert(scanID: scanID, probe) }
        if let body = r.policyBody {
            let (text, truncated) = PolicyBodyText.decode(body)
            try insertRow(policyBody, scanID: scanID, position: r.position) { (column: PolicyBodyColumn) in
                switch column {
                case .body: policyBody.bind(text)
                case .truncated: policyBody.bind(truncated)
                }
            }
        }
        return true
    }

    /// Runs `statement` once: the key first (`scan_id`, then `position` and `seq` when
    /// given: `C.key`, checked against the schema by `RowSchemaTests`), then each column's
    /// value as `bind` gives it. False when a conflict clause skipped the row.
    @discardableResult
    private func insertRow<C: InsertColumns>(_ statement: RawStatement, scanID: Int64, position: Int? = nil,
                                             seq: Int? = nil, bind: (C) -> Void) throws -> Bool {
        assert(C.key.count == 1 + (position == nil ? 0 : 1) + (seq == nil ? 0 : 1), "\(C.table): key \(C.key)")
        statement.bind(scanID)
        if let position { statement.bind(position) }
        if let seq { statement.bind(seq) }
        for column in C.ordered { bind(column) }
        return try statement.run() > 0
    }

    /// One row of a list child per item (skipping those `skip` names; `seq` keeps the gap),
    /// `seq` being `firstSeq` + the item's index.
    private func insertList<C: ListColumns, Item>(_ statement: RawStatement, _ items: [Item], firstSeq: Int = 0,
                                                  scanID: Int64, position: Int, skip: (Item) -> Bool = { _ in false },
                                                  bind: (C, Item) -> Void) throws {
        for (index, item) in items.enumerated() where !skip(item) {
            try insertRow(statement, scanID: scanID, position: position, seq: firstSeq + index) { (column: C) in
                bind(column, item)
            }
        }
    }

    private func insertRaw(_ kind: RawRecordKind, _ texts: [String], firstSeq: Int, scanID: Int64, position: Int) throws {
        try insertList(rawRecord, texts, firstSeq: firstSeq, scanID: scanID, position: position) { (column: RawRecordColumn, text) in
            switch column {
            case .kind: rawRecord.bind(kind.rawValue)
            case .text: rawRecord.bind(text)
            }
        }
    }

    /// An `mx_probes` row; a host already stored for the scan keeps its row.
    private func insert(scanID: Int64, _ probe: MXProbeRecord) throws {
        try insertRow(mxProbe, scanID: scanID) { (column: MXProbeColumn) in
            switch column {
            case .host: mxProbe.bind(probe.host)
            case .address: mxProbe.bind(probe.address)
            case .ipv6Address: mxProbe.bind(probe.ipv6Address)
            case .outcome: mxProbe.bind(probe.outcome.rawValue)
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
            case .attempts: mxProbe.bind(AddressAttempt.text(probe.attempts))
            }
        }
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
