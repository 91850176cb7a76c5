import GRDB
import Synchronization

/// `scan --jsonl`: one JSON line per entry, written as the scan stores it. Each committed
/// batch is read back from the database by its positions (`ScanRowReader`) and encoded by
/// `JSONLineEncoder`, exactly as `export` does, so the stream equals the export of the same
/// scan line for line (in commit order rather than by position).
///
/// An entry whose MX hosts wait for a probe that another entry runs and stores is held back
/// until that probe's row is committed (usually the same or the next batch), so its line
/// carries the probe as `export` will; whatever is still held when the scan completes is
/// written then. Calls come one at a time: `start` before the pipeline, `committed` from its
/// single writer, `finish` after it.
public final class JSONLinesStream: Sendable {
    private struct State {
        var sink: ExportSink
        var queue: DatabaseQueue?
        var reader: ScanRowReader?
        /// Stored positions not yet written (waiting for an MX probe's row).
        var held: Set<Int64> = []
        var written = 0
    }
    private let state: Mutex<State>
    private let databasePath: String

    /// Lines go to `sink`; the scan's database is opened read-only by `start`.
    public init(sink: sending ExportSink, databasePath: String) {
        state = Mutex(State(sink: sink))
        self.databasePath = databasePath
    }

    /// Opens the database and writes every entry of scan `scanID` already stored (a resumed
    /// scan), ascending by position: the output is rewritten whole, never appended to, so
    /// after `--resume` it holds each entry exactly once whatever an interrupted run left.
    public func start(scanID: Int64) throws {
        try state.withLock { state in
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
            let reader = try queue.read { db in
                try ScanRowReader.checkSchema(db, path: databasePath)
                return try ScanRowReader.of(db, scanID: scanID)
            }
            state.queue = queue
            state.reader = reader
            var after: Int64 = -1
            while true {
                let page = try queue.read { db in try reader.positions(db, after: after, limit: ScanExporter.pageSize) }
                guard let last = page.last else { break }
                try Self.emit(&state, page)
                after = last
            }
        }
    }

    /// A batch of `positions` was committed: writes the lines now complete and flushes.
    public func committed(positions: [Int]) throws {
        try state.withLock { state in try Self.emit(&state, positions.map { Int64($0) }) }
    }

    /// The scan completed: writes the entries still held, then flushes. Returns the number
    /// of lines written in all.
    @discardableResult
    public func finish() throws -> Int {
        try state.withLock { state in
            guard let queue = state.queue, let reader = state.reader else { return state.written }
            let held = state.held.sorted()
            state.held = []
            let rows = try queue.read { db in try reader.rows(db, positions: held) }
            for row in rows { try state.sink.write(JSONLineEncoder.line(row)) }
            state.written += rows.count
            try state.sink.flush()
            return state.written
        }
    }

    private static func emit(_ state: inout State, _ positions: [Int64]) throws {
        guard let queue = state.queue, let reader = state.reader else { return }
        let candidates = state.held.isEmpty ? positions.sorted() : state.held.union(positions).sorted()
        let (rows, waiting) = try queue.read { db in
            let waiting = try reader.awaitingProbes(db, positions: candidates)
            return (try reader.rows(db, positions: candidates.filter { !waiting.contains($0) }), waiting)
        }
        state.held = waiting
        for row in rows { try state.sink.write(JSONLineEncoder.line(row)) }
        state.written += rows.count
        try state.sink.flush()
    }
}
