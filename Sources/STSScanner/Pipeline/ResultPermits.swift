import Synchronization

/// Bounds the results the pipeline holds that are not yet written: a worker takes a permit
/// before it takes an entry, and the writer gives permits back once their rows are stored.
/// This is the backpressure that keeps memory flat: when SQLite falls behind, the workers
/// stop taking entries (each parked worker holds nothing), instead of each finishing a
/// batch and parking with it.
///
/// Liveness: with `limit` above `concurrency + (queued batches + 1) x batch size`, whenever
/// every worker waits, full batches are queued for the writer, whose progress frees permits.
final class ResultPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }
    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit > 0)
        state = Mutex(State(available: limit))
    }

    /// Takes one permit, waiting (in arrival order) while none is free.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.available > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.available -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Tasks parked in `acquire` (for tests that must know who waits).
    var waiterCount: Int { state.withLock { $0.waiters.count - $0.head } }

    /// Gives back `count` permits, handing them to waiters first.
    func release(_ count: Int) {
        guard count > 0 else { return }
        let woken = state.withLock { state -> ArraySlice<CheckedContinuation<Void, Never>> in
            state.available += count
            let waiting = state.waiters.count - state.head
            let wake = min(waiting, state.available)
            state.available -= wake
            let woken = state.waiters[state.head..<(state.head + wake)]
            state.head += wake
            if state.head == state.waiters.count {
                state.waiters.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return woken
        }
        for continuation in woken { continuation.resume() }
    }
}
