import Synchronization

/// The input as the probe workers share it: each `next()` hands out the next entry that is
/// not already stored (for `--resume`). One lock around the streaming reader and the
/// skipper keeps both single-consumer, as they require, and positions ascending.
///
/// `@unchecked Sendable`: `reader` and `skipper` are only touched under `lock`.
final class EntrySource: @unchecked Sendable {
    private let reader: InputReader
    private var skipper: PositionSkipper
    private var exhausted = false
    private let lock = Mutex(())

    init(reader: InputReader, finished: PositionSkipper) {
        self.reader = reader
        skipper = finished
    }

    /// The next entry to probe, or nil at the end of the input.
    func next() throws -> InputEntry? {
        try lock.withLock { _ in
            while !exhausted {
                guard let entry = try reader.next() else {
                    exhausted = true
                    break
                }
                if try !skipper.isFinished(entry.position) { return entry }
            }
            return nil
        }
    }
}
