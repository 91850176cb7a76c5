import GRDB

/// Reads `ExportedDomain`s of one scan by position: the single source of `export` and of
/// `scan --jsonl`, so what the stream wrote and what `export` writes later cannot differ.
///
/// Positions are passed as one JSON array (`json_each`), and every query is a lookup by
/// primary key, so reading a batch costs the batch, whatever the size of the scan.
public struct ScanRowReader: Sendable {
    /// The `results` view's columns, in the view's (stable) order: the keys of a JSON line
    /// and the first columns of the CSV export.
    public static let resultColumns = [
        "scan_id", "rank", "domain", "mx_status", "sts_record", "sts_id", "policy_status", "mode", "max_age",
        "mx_coverage", "tlsrpt_record", "tlsrpt_rua", "error_code", "error_detail", "sts_cname",
        "policy_host_cname", "http_status", "scanned_at", "position", "delivery",
    ]
    static let positionIndex = resultColumns.firstIndex(of: "position")!

    /// Findings the export leaves out: `input-duplicate` is added when a scan finishes
    /// (`ResultStore.markDuplicates`), after its row was streamed; it restates that an
    /// earlier line has the same domain. (`txt-absent` and `tlsrpt-absent` are not stored.)
    public static let omittedFindings = ["input-duplicate"]

    public let scanID: Int64
    /// The scan probed every domain's MX hosts (`--mx-probe all`), not only those of
    /// domains with an enforce/testing policy (the ones with a `delivery`).
    public let probesEveryHost: Bool
    /// `mx_probes` has the `attempts` column (migration `v4-address-attempts`); a file
    /// written before it, opened read-only, exports `attempts` as null.
    public let hasAttempts: Bool

    public init(scanID: Int64, probesEveryHost: Bool, hasAttempts: Bool = true) {
        self.scanID = scanID
        self.probesEveryHost = probesEveryHost
        self.hasAttempts = hasAttempts
    }

    /// The reader of scan `scanID` of `db`, with its probe mode from the scan's options.
    public static func of(_ db: Database, scanID: Int64) throws -> ScanRowReader {
        let mode = try String.fetchOne(db, sql: "SELECT json_extract(options, '$.mx_probe') FROM scans WHERE id = ?",
                                       arguments: [scanID])
        let hasAttempts = try db.columns(in: "mx_probes").contains { $0.name == "attempts" }
        return ScanRowReader(scanID: scanID, probesEveryHost: mode == "all", hasAttempts: hasAttempts)
    }

    /// Throws `ReportError.notAScanDatabase` unless `db` has stsscan's tables and view.
    public static func checkSchema(_ db: Database, path: String) throws {
        for table in ["domain_results", "findings", "mx_hosts", "mx_probes", "policy_mx"] where try !db.tableExists(table) {
            throw ReportError.notAScanDatabase(path)
        }
        guard try db.viewExists("results") else { throw ReportError.notAScanDatabase(path) }
    }

    /// Up to `limit` stored positions after `after`, ascending.
    public func positions(_ db: Database, after: Int64, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT position FROM domain_results WHERE scan_id = ? AND position > ? ORDER BY position LIMIT ?
            """, arguments: [scanID, after, limit])
    }

    /// The entries at `positions` that are stored, ascending by position.
    public func rows(_ db: Database, positions: [Int64]) throws -> [ExportedDomain] {
        guard !positions.isEmpty else { return [] }
        let list = Self.jsonArray(positions)
        var rows: [ExportedDomain] = []
        var index: [Int64: Int] = [:]
        let columns = Self.resultColumns.joined(separator: ", ")
        let results = try Row.fetchCursor(db, sql: """
            SELECT \(columns) FROM results
            WHERE scan_id = ?1 AND position IN (SELECT value FROM json_each(?2)) ORDER BY position
            """, arguments: [scanID, list])
        while let row = try results.next() {
            let domain = ExportedDomain(columns: Array(row.databaseValues.map(ReportValue.init)))
            index[domain.position] = rows.count
            rows.append(domain)
        }
        let findings = try Row.fetchCursor(db, sql: """
            SELECT position, code, severity, stage, detail FROM findings
            WHERE scan_id = ?1 AND position IN (SELECT value FROM json_each(?2))
              AND code NOT IN (SELECT value FROM json_each(?3))
            ORDER BY position, seq
            """, arguments: [scanID, list, Self.jsonArray(Self.omittedFindings)])
        while let row = try findings.next() {
            let position: Int64 = row["position"]
            guard let at = index[position] else { continue }
            rows[at].findings.append(.init(code: Self.text(row, "code"), severity: Self.text(row, "severity"),
                                           stage: Self.text(row, "stage"), detail: Self.optionalText(row, "detail")))
        }
        // A host's probe belongs to the entries it was probed for (`probedFor`): another
        // domain's probe of the same host is not this entry's measurement (and may be
        // stored after this entry's line was streamed).
        let hosts = try Row.fetchCursor(db, sql: """
            SELECT m.position, m.preference, m.host, m.covered,
                   p.outcome, p.detail, p.address, p.tls_version, p.cert_not_after, \(hasAttempts ? "p.attempts" : "NULL")
            FROM mx_hosts m
            JOIN domain_results d ON d.scan_id = m.scan_id AND d.position = m.position
            LEFT JOIN mx_probes p ON p.scan_id = m.scan_id AND p.host = m.host AND \(Self.probedFor)
            WHERE m.scan_id = ?1 AND m.position IN (SELECT value FROM json_each(?2))
            ORDER BY m.position, m.seq
            """, arguments: [scanID, list, probesEveryHost])
        while let row = try hosts.next() {
            let position: Int64 = row["position"]
            guard let at = index[position] else { continue }
            let values = Array(row.databaseValues.map(ReportValue.init))
            let probe: ExportedDomain.Probe? = values[4] == .null ? nil
                : .init(outcome: values[4].plain, detail: values[5], address: values[6],
                        tlsVersion: values[7], certNotAfter: values[8], attempts: values[9])
            rows[at].mxHosts.append(.init(preference: values[1], host: values[2].plain, covered: values[3], probe: probe))
        }
        let patterns = try Row.fetchCursor(db, sql: """
            SELECT position, pattern FROM policy_mx
            WHERE scan_id = ?1 AND position IN (SELECT value FROM json_each(?2)) ORDER BY position, seq
            """, arguments: [scanID, list])
        while let row = try patterns.next() {
            let position: Int64 = row["position"]
            guard let at = index[position] else { continue }
            rows[at].policyMX.append(Self.text(row, "pattern"))
        }
        return rows
    }

    /// Of `positions`, those not ready to be streamed: a host of theirs is to be probed in
    /// this scan (`delivery` is set, or `--mx-probe all`) but its `mx_probes` row is not
    /// stored yet. Each host is probed once per scan and its row is stored with the domain
    /// that ran the probe, which may be committed a batch after the domains waiting for it.
    public func awaitingProbes(_ db: Database, positions: [Int64]) throws -> Set<Int64> {
        guard !positions.isEmpty else { return [] }
        return Set(try Int64.fetchAll(db, sql: """
            SELECT DISTINCT m.position FROM mx_hosts m
            JOIN domain_results d ON d.scan_id = m.scan_id AND d.position = m.position
            WHERE m.scan_id = ?1 AND m.position IN (SELECT value FROM json_each(?2)) AND \(Self.probedFor)
              AND NOT EXISTS (SELECT 1 FROM mx_probes p WHERE p.scan_id = m.scan_id AND p.host = m.host)
            """, arguments: [scanID, Self.jsonArray(positions), probesEveryHost]))
    }

    /// SQL: the hosts of entry `d` were probed for it: a delivery verdict was made (a valid
    /// enforce/testing policy), or the scan probed every domain's hosts (`?3`).
    static let probedFor = "(d.delivery IS NOT NULL OR ?3)"

    static func jsonArray(_ values: [Int64]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    static func jsonArray(_ values: [String]) -> String {
        "[" + values.map(JSONEscaping.string).joined(separator: ",") + "]"
    }

    /// A text column as text whatever SQLite stored (a blob is shown as hex, like reports do).
    private static func text(_ row: Row, _ column: String) -> String {
        ReportValue((row[column] as DatabaseValue?) ?? .null).plain
    }

    private static func optionalText(_ row: Row, _ column: String) -> String? {
        let value = ReportValue((row[column] as DatabaseValue?) ?? .null)
        return value == .null ? nil : value.plain
    }
}
