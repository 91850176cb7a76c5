import Foundation
import GRDB
import STSCore
import Testing
@testable import STSStore

/// Duplicates in a list are scanned again and marked when the scan finishes.
@Suite struct DuplicateTests {
    @Test func laterOccurrencesAreMarkedOnceAndFirstOnesAreNot() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        var records = (0..<6).map(Fixtures.plain)
        records[3].domain = records[0].domain  // position 3 repeats position 0
        records[5].domain = records[0].domain  // and so does 5
        try store.write(scanID: id, records)
        #expect(try store.markDuplicates(scanID: id) == 2)
        #expect(try store.markDuplicates(scanID: id) == 0)  // idempotent
        let marked = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT position, detail, seq FROM findings WHERE scan_id = ? AND code = 'input-duplicate' ORDER BY position
                """, arguments: [id])
        }
        #expect(marked.map { $0["position"] as Int } == [3, 5])
        #expect(marked.first?["detail"] == "first listed at position 0")
        #expect(marked.first?["seq"] == 0)  // after the stored findings (the two absent infos are not rows)
    }
}
