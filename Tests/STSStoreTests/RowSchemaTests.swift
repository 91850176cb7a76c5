import Foundation
import GRDB
import STSCore
import Testing
@testable import STSStore

/// The typed rows (`DomainRecord`, `MXHost`, `MXProbeRecord`), the writer's column lists and
/// the migrated schema describe the same tables: every field has a column, every column a
/// field or a stated derivation, and every vocabulary enum has exactly the values its CHECK
/// constraint allows (read from the schema SQLite stores, so an edit on either side fails here).
@Suite struct RowSchemaTests {
    /// Fields of `DomainRecord` stored as rows of a child table, by table.
    static let childFields: [String: String] = [
        "mxHosts": MXHostColumn.table, "policyMX": PolicyMXColumn.table, "findings": FindingColumn.table,
        "stsRawRecords": RawRecordColumn.table, "tlsrptRawRecords": RawRecordColumn.table,
        "policyBody": PolicyBodyColumn.table, "mxProbes": MXProbeColumn.table,
    ]

    private func withSchema<T>(_ body: (Database) throws -> T) throws -> T {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        return try ResultStore(path: temp.path).queue.read(body)
    }

    private func columns(_ db: Database, _ table: String) throws -> [String] {
        try db.columns(in: table).map(\.name)
    }

    /// The field names of a value, as Swift declares them.
    private func fields(_ value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    private func names<C: InsertColumns>(_: C.Type, except derived: Set<C> = []) -> Set<String> {
        Set(C.ordered.filter { !derived.contains($0) }.map { String(describing: $0) })
    }

    @Test func everyInsertFillsEveryColumnOfItsTable() throws {
        try withSchema { (db: Database) throws in
            func check<C: InsertColumns>(_ type: C.Type) throws {
                let table = try columns(db, C.table)
                #expect(Set(table) == Set(C.key + C.ordered.map(\.rawValue)), "\(C.table)")
                #expect(table.count == C.key.count + C.ordered.count, "\(C.table)")
                #expect(Array(table.prefix(C.key.count)) == C.key, "\(C.table): the key comes first")
            }
            try check(DomainResultColumn.self)
            try check(FindingColumn.self)
            try check(MXHostColumn.self)
            try check(PolicyMXColumn.self)
            try check(RawRecordColumn.self)
            try check(PolicyBodyColumn.self)
            try check(MXProbeColumn.self)
        }
    }

    @Test func everyRecordFieldHasAColumnAndEveryColumnAField() throws {
        let record = Fixtures.full(0)
        let stored = names(DomainResultColumn.self, except: DomainResultColumn.derived)
        #expect(fields(record) == stored.union(Self.childFields.keys),
                "fields without a column: \(fields(record).subtracting(stored).subtracting(Self.childFields.keys)); columns without a field: \(stored.subtracting(fields(record)))")
        let probe = MXProbeRecord(host: "mx.example", outcome: .ok, elapsedMs: 1, probedAt: Date())
        #expect(fields(probe) == names(MXProbeColumn.self))
        #expect(fields(MXHost(preference: 1, host: "mx.example")) == names(MXHostColumn.self))
        let finding = Finding(.mxNull)
        // A finding's severity and stage follow from its code.
        #expect(fields(finding).union(["severity", "stage"]) == names(FindingColumn.self))
        try withSchema { (db: Database) throws in
            for table in Set(Self.childFields.values) { #expect(try db.tableExists(table), "\(table)") }
        }
    }

    /// The values a CHECK constraint allows for `column` of `table`, from the schema SQLite
    /// stores (`column = 'value' OR ...`).
    private func checkList(_ db: Database, table: String, column: String) throws -> Set<String> {
        let sql = try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                   arguments: [table]))
        let regex = try NSRegularExpression(pattern: "(?<![A-Za-z_])\(column) = '([^']*)'")
        let range = NSRange(sql.startIndex..., in: sql)
        return Set(regex.matches(in: sql, range: range).compactMap { Range($0.range(at: 1), in: sql).map { String(sql[$0]) } })
    }

    @Test func vocabularyEnumsAreTheCheckConstraints() throws {
        func values<E: CaseIterable & RawRepresentable>(_: E.Type) -> Set<String> where E.RawValue == String {
            Set(E.allCases.map(\.rawValue))
        }
        let expected: [(table: String, column: String, values: Set<String>)] = [
            ("domain_results", "mx_status", values(MXStatus.self)),
            ("domain_results", "sts_record", values(RecordStatus.self)),
            ("domain_results", "tlsrpt_record", values(RecordStatus.self)),
            ("domain_results", "policy_status", values(PolicyStatus.self)),
            ("domain_results", "mode", values(PolicyMode.self)),
            ("domain_results", "mx_coverage", values(MXCoverage.self)),
            ("domain_results", "delivery", values(Delivery.self)),
            ("raw_records", "kind", values(RawRecordKind.self)),
            ("findings", "severity", values(Severity.self)),
            ("finding_codes", "severity", values(Severity.self)),
        ]
        try withSchema { (db: Database) throws in
            for (table, column, values) in expected {
                let allowed = try checkList(db, table: table, column: column)
                #expect(!allowed.isEmpty, "no CHECK list found for \(table).\(column)")
                #expect(allowed == values, "\(table).\(column): CHECK allows \(allowed.sorted()), the enum has \(values.sorted())")
            }
        }
    }

    /// `mx_probes.outcome` is `ok` or an `mx-` finding code: the schema's CHECK says so too.
    @Test func probeOutcomesAreTheCheckConstraint() throws {
        try withSchema { (db: Database) throws in
            #expect(try checkList(db, table: "mx_probes", column: "outcome") == [MXProbeOutcome.ok.rawValue])
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'mx_probes'") ?? ""
            #expect(sql.contains("outcome LIKE 'mx-%'"))
        }
        #expect(MXProbeOutcome(rawValue: "ok") == .ok)
        #expect(MXProbeOutcome(rawValue: "mx-cert-expired") == .failure(.mxCertExpired))
        #expect(MXProbeOutcome(rawValue: "maybe") == nil)
    }

    /// Every value of every vocabulary goes through the writer and reads back as written.
    @Test func everyVocabularyValueIsStored() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let count = [MXStatus.allCases.count, RecordStatus.allCases.count, PolicyStatus.allCases.count,
                     PolicyMode.allCases.count, MXCoverage.allCases.count, Delivery.allCases.count].max()!
        func pick<E: CaseIterable>(_ index: Int) -> E { let all = Array(E.allCases); return all[index % all.count] }
        let records = (0..<count).map { index in
            var record = Fixtures.full(index)
            record.mxStatus = pick(index)
            record.stsRecord = pick(index)
            record.tlsrptRecord = pick(index + 1)
            record.policyStatus = pick(index)
            record.mode = pick(index)
            record.mxCoverage = pick(index)
            record.delivery = pick(index)
            return record
        }
        #expect(try store.write(scanID: id, records) == count)
        try store.queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT mx_status, sts_record, tlsrpt_record, policy_status, mode, mx_coverage, delivery
                FROM results WHERE scan_id = ? ORDER BY position
                """, arguments: [id])
            for (row, record) in zip(rows, records) {
                #expect(row["mx_status"] == record.mxStatus.rawValue)
                #expect(row["sts_record"] == record.stsRecord.rawValue)
                #expect(row["tlsrpt_record"] == record.tlsrptRecord.rawValue)
                #expect(row["policy_status"] == record.policyStatus?.rawValue)
                #expect(row["mode"] == record.mode?.rawValue)
                #expect(row["mx_coverage"] == record.mxCoverage?.rawValue)
                #expect(row["delivery"] == record.delivery?.rawValue)
            }
        }
    }

    @Test func insertSQLNamesTheColumnsInOrder() {
        #expect(PolicyMXColumn.insertSQL() == "INSERT INTO policy_mx(scan_id, position, seq, pattern) VALUES (?, ?, ?, ?)")
        #expect(PolicyBodyColumn.insertSQL() == "INSERT INTO policy_bodies(scan_id, position, body, truncated) VALUES (?, ?, ?, ?)")
        #expect(MXProbeColumn.insertSQL("ON CONFLICT (scan_id, host) DO NOTHING").hasSuffix("?) ON CONFLICT (scan_id, host) DO NOTHING"))
    }
}
