import GRDB

/// The positions already stored for a scan, ascending, read in pages of `pageSize` so a
/// resume over 10^7 entries never holds them all. Not Sendable: one consumer reads it.
public final class PositionCursor {
    private let queue: DatabaseQueue
    private let scanID: Int64
    private let pageSize: Int
    private var page: [Int] = []
    private var index = 0
    private var last = -1
    private var exhausted = false

    init(queue: DatabaseQueue, scanID: Int64, pageSize: Int = 50_000) {
        self.queue = queue
        self.scanID = scanID
        self.pageSize = pageSize
    }

    /// The next stored position, nil after the last one.
    public func next() throws -> Int? {
        if index == page.count {
            guard try peekRefill() else { return nil }
        }
        let position = page[index]
        index += 1
        last = position
        return position
    }

    /// Advances to the first stored position >= `position` and says whether it equals it:
    /// the scanner walks its input in order and asks for each entry, in O(1) amortised.
    public func contains(_ position: Int) throws -> Bool {
        while true {
            if index < page.count {
                let candidate = page[index]
                if candidate >= position { return candidate == position }
                index += 1
                last = candidate
                continue
            }
            guard try peekRefill() else { return false }
        }
    }

    /// Loads the next page without consuming; false when nothing is left.
    private func peekRefill() throws -> Bool {
        guard !exhausted else { return false }
        let scanID = scanID, last = last, pageSize = pageSize
        page = try queue.read { db in
            try Int.fetchAll(db, sql: """
                SELECT position FROM domain_results
                WHERE scan_id = ? AND position > ? ORDER BY position LIMIT ?
                """, arguments: [scanID, last, pageSize])
        }
        index = 0
        if page.count < pageSize { exhausted = true }
        return !page.isEmpty
    }
}
