import Foundation
import GRDB
import STSWorld

/// Compares a world scan's stored rows with the world's ground truth, field by field.
enum TruthComparison {
    static let comparedColumns = ["mx_status", "sts_record", "sts_id", "policy_status", "mode", "max_age",
                                  "mx_coverage", "tlsrpt_record", "error_code", "delivery"]

    /// One line per difference (`domain [scenario] column: want ... got ...`) or missing row,
    /// for the newest scan of the world's database. `throughResolver`: the scan asked the
    /// world's Unbound, so `TruthRow.throughRecursiveResolver` is accepted as well.
    static func mismatches(_ world: TestWorld, databasePath: String? = nil, throughResolver: Bool) throws -> [String] {
        let truth = try world.truth()
        let rows = try world.database(databasePath).read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM results WHERE scan_id = (SELECT max(id) FROM scans)")
        }
        var stored: [String: Row] = [:]
        for row in rows { stored[row["domain"]] = row }
        var mismatches: [String] = []
        if rows.count != truth.count { mismatches.append("\(rows.count) rows for \(truth.count) domains") }
        for expected in truth {
            guard let row = stored[expected.domain] else {
                mismatches.append("\(expected.domain) [\(expected.scenario)]: no row")
                continue
            }
            if (row["rank"] as Int?) != expected.rank { mismatches.append("\(expected.domain): rank") }
            let got = comparedColumns.map { column in
                (row[column] as DatabaseValue).isNull ? "" : String(describing: row[column] as DatabaseValue)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            let candidates = [expected] + (throughResolver ? [expected.throughRecursiveResolver].compactMap { $0 } : [])
            let wants = candidates.map { candidate in
                let cells = Dictionary(uniqueKeysWithValues: zip(TruthRow.header, candidate.cells))
                return comparedColumns.map { cells[$0] ?? "" }
            }
            if wants.contains(got) { continue }
            for (index, column) in comparedColumns.enumerated() where got[index] != wants[0][index] {
                mismatches.append("\(expected.domain) [\(expected.scenario)] \(column): want '\(wants[0][index])' got '\(got[index])'")
            }
        }
        return mismatches
    }
}
