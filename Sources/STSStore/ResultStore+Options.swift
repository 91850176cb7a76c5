import Foundation
import GRDB

extension ResultStore {
    /// Adds facts learnt while scanning (e.g. the DNS window the engine settled on) to the
    /// scan's `options` object; existing keys with the same name are replaced.
    public func addOptions(scanID: Int64, _ facts: [String: String]) throws {
        guard !facts.isEmpty else { return }
        try queue.write { db in
            let text = try String.fetchOne(db, sql: "SELECT options FROM scans WHERE id = ?", arguments: [scanID]) ?? "{}"
            var options = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            options.merge(facts) { _, new in new }
            try db.execute(sql: "UPDATE scans SET options = ? WHERE id = ?", arguments: [try Self.json(options), scanID])
        }
    }
}
