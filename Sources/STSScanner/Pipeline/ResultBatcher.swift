import STSStore
import Synchronization

/// Gathers the probe workers' results into write batches: a batch is handed out when it is
/// full, or once it is older than the flush interval (with the next result, or to the
/// pipeline's flush timer when no result comes: a slow tail or a pausing input is still
/// stored promptly). The caller sends what it gets to the writer's queue.
final class ResultBatcher: Sendable {
    private struct State {
        var batch: [DomainRecord] = []
        var started = ContinuousClock.now
    }
    private let state = Mutex(State())
    private let batchSize: Int
    private let flushInterval: Duration

    init(batchSize: Int, flushInterval: Duration) {
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
    }

    /// Adds `result`; returns a batch when one is due.
    func add(_ result: DomainRecord) -> [DomainRecord]? {
        state.withLock { state in
            if state.batch.isEmpty {
                state.started = .now
                state.batch.reserveCapacity(batchSize)
            }
            state.batch.append(result)
            guard state.batch.count >= batchSize || ContinuousClock.now - state.started >= flushInterval else {
                return nil
            }
            defer { state.batch = [] }
            return state.batch
        }
    }

    /// Whatever is left (at the end of the scan).
    func remainder() -> [DomainRecord]? {
        state.withLock { state in
            guard !state.batch.isEmpty else { return nil }
            defer { state.batch = [] }
            return state.batch
        }
    }

    /// The batch when it is older than the flush interval (the timer's question).
    func due() -> [DomainRecord]? {
        state.withLock { state in
            guard !state.batch.isEmpty, ContinuousClock.now - state.started >= flushInterval else { return nil }
            defer { state.batch = [] }
            return state.batch
        }
    }

    /// Drops what is gathered; returns how many results that was.
    func discard() -> Int {
        state.withLock { state in
            defer { state.batch = [] }
            return state.batch.count
        }
    }
}
