import Foundation
import GRDB
import STSCore

/// Builds `Report` values: every section is one SQL query over the read-only database.
public enum ReportBuilder {
    /// The report of scan `scanID` (the newest scan when nil), all sections or only `sections`.
    public static func report(_ database: ReportDatabase, scanID: Int64? = nil,
                              sections: [String]? = nil) throws -> Report {
        let id = try database.scanID(scanID)
        var specs = try select(ReportSQL.sections, sections)
        if sections == nil, try !database.hasEarlierFinishedScan(id) { specs.removeAll(where: \.needsEarlierScan) }
        let arguments = ["scan_id": id]
        let tables = try database.queue.inDatabase { db in
            // Temporary tables live in the temp schema, writable on a read-only connection.
            if specs.contains(where: \.needsPublicSuffixes) { try PublicSuffixes.load(db) }
            defer { PublicSuffixes.drop(db) }
            return try specs.map { try database.run($0, db, arguments: arguments) }
        }
        return Report(kind: "report", title: "MTA-STS and TLS-RPT adoption: scan \(id)",
                      parameters: arguments, sections: tables, notice: try ScanProgress.read(database, id).notice)
    }

    /// The diff between scan `from` and scan `to` of the same database, or of `other` when
    /// given (attached read-only as schema `other`). nil ids pick the newest scans: the
    /// second newest and the newest in one database, the newest of each with two.
    public static func diff(_ database: ReportDatabase, from: Int64?, to: Int64?,
                            other: ReportDatabase? = nil) throws -> Report {
        let fromID: Int64
        let toID: Int64
        if let other {
            fromID = try database.scanID(from)
            toID = try other.scanID(to)
        } else {
            toID = try database.scanID(to)
            if let from {
                fromID = try database.scanID(from)
            } else {
                guard let older = try database.queue.read({ db in
                    try Int64.fetchOne(db, sql: "SELECT max(id) FROM scans WHERE id < ?", arguments: [toID])
                }) else { throw ReportError.oneScan(database.path, toID) }
                fromID = older
            }
            if fromID == toID { throw ReportError.oneScan(database.path, toID) }
            if fromID > toID { throw ReportError.fromAfterTo(fromID, toID) }
        }
        var notices: [String] = []
        if let notice = try ScanProgress.read(database, fromID).notice { notices.append(notice) }
        if let notice = try ScanProgress.read(other ?? database, toID).notice { notices.append(notice) }
        let arguments = ["from_scan": fromID, "to_scan": toID]
        let setup = DiffSQL.setup(toSchema: other == nil ? "main" : "other")
        let tables = try database.queue.inDatabase { db in
            if let other {
                // The main connection is read-only, and an attached file shares its flags.
                try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [other.path])
            }
            defer {
                for statement in DiffSQL.teardown { try? db.execute(sql: statement) }
                if other != nil { try? db.execute(sql: "DETACH DATABASE other") }
            }
            // Temporary tables live in the temp schema, writable on a read-only connection.
            for statement in setup {
                let needed = ["from_scan", "to_scan"].filter { statement.contains(":" + $0) }
                try db.execute(sql: statement, arguments: StatementArguments(
                    Dictionary(uniqueKeysWithValues: needed.map { ($0, arguments[$0]! as DatabaseValueConvertible?) })))
            }
            return try DiffSQL.sections.map { try database.run($0, db, arguments: [:]) }
        }
        let title = other == nil
            ? "Changes from scan \(fromID) to scan \(toID)"
            : "Changes from scan \(fromID) to scan \(toID) of \(URL(fileURLWithPath: other!.path).lastPathComponent)"
        return Report(kind: "diff", title: title, parameters: arguments, sections: tables,
                      setupSQL: setup.joined(separator: ";\n") + ";",
                      notice: notices.isEmpty ? nil : notices.joined(separator: " "))
    }

    /// The result of one SQL statement typed by a user (`stsscan sql`), as a one-table
    /// report; SQLite's refusals become `ReportError.sql` with SQLite's message.
    public static func sql(_ database: ReportDatabase, _ text: String) throws -> Report {
        do {
            let (columns, rows) = try database.queue.read { db in try ReportDatabase.query(db, sql: text) }
            let table = ReportTable(id: "query", title: "Query", description: "", sql: text, columns: columns, rows: rows)
            return Report(kind: "sql", title: "Query", parameters: [:], sections: [table])
        } catch let error as DatabaseError {
            throw ReportError.sql(error.message ?? "\(error)")
        }
    }

    private static func select(_ specs: [ReportSectionSpec], _ wanted: [String]?) throws -> [ReportSectionSpec] {
        guard let wanted else { return specs }
        return try wanted.map { name in
            guard let spec = specs.first(where: { $0.id == name }) else {
                throw ReportError.unknownSectionIn(name, choices: specs.map(\.id))
            }
            return spec
        }
    }
}
