import Foundation
import GRDB
import STSCore
import Testing
import STSStore

@Suite struct ResumeTests {
    /// 100k stored positions with gaps, walked through the cursor in pages: every position
    /// comes back once, ascending, and `contains` answers for the gaps.
    @Test func cursorStreamsOneHundredThousandPositions() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        let other = try store.beginScan(Fixtures.metadata)
        let stored = (0..<110_000).filter { $0 % 11 != 5 } // 100,000 positions, one gap in eleven
        for chunk in stride(from: 0, to: stored.count, by: 5_000) {
            let slice = stored[chunk..<min(chunk + 5_000, stored.count)]
            try store.write(scanID: id, slice.map { position in
                var record = Fixtures.plain(position)
                record.findings = []
                return record
            })
        }
        try store.write(scanID: other, [Fixtures.plain(5)]) // another scan's rows never leak in
        #expect(stored.count == 100_000)

        let cursor = try store.finishedPositions(scanID: id)
        var seen = 0
        var previous = -1
        var mismatch = false
        while let position = try cursor.next() {
            if position != stored[seen] || position <= previous { mismatch = true }
            previous = position
            seen += 1
        }
        #expect(!mismatch)
        #expect(seen == 100_000)
        #expect(try cursor.next() == nil)

        let probe = try store.finishedPositions(scanID: id)
        var answers = 0
        for position in 0..<110_000 where try probe.contains(position) != (position % 11 != 5) {
            answers += 1
        }
        #expect(answers == 0)
        #expect(try probe.contains(200_000) == false)
    }

    @Test func cursorOfAnEmptyScanEndsAtOnce() throws {
        let temp = try TemporaryDatabase()
        defer { temp.cleanup() }
        let store = try ResultStore(path: temp.path)
        let id = try store.beginScan(Fixtures.metadata)
        #expect(try store.finishedPositions(scanID: id).next() == nil)
        #expect(try store.finishedPositions(scanID: id).contains(0) == false)
    }
}
