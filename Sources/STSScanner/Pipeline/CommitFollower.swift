import Synchronization

/// Runs the pipeline's `afterCommit` (`scan --jsonl`) behind the writer, on a thread of its
/// own, a bounded number of batches behind. The writer never blocks in the follower's
/// output: a pipe nobody reads stalls the follower's thread in `write(2)`, which no
/// cancellation reaches, while the writer keeps storing. Backpressure stays: the writer
/// waits (cancellably) while `capacity` batches are queued. When the scan is stopped,
/// `abandon()` lets go of a follower that does not catch up, so one signal ends the scan
/// with every finished row stored; only the output is cut short.
final class CommitFollower: Sendable {
    private struct State {
        var ended = false
        var failure: Error?
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let queue: BoundedQueue<[Int]>
    private let state = Mutex(State())
    private let wasAbandoned = Atomic<Bool>(false)

    /// `onFailure` is called once, with the first error `afterCommit` throws; later batches
    /// are dropped.
    init(capacity: Int, afterCommit: @escaping @Sendable ([Int]) throws -> Void,
         onFailure: @escaping @Sendable (Error) -> Void) {
        let queue = BoundedQueue<[Int]>(capacity: max(1, capacity))
        self.queue = queue
        Task(executorPreference: WriterExecutor(label: "stsscan.commit-follower")) { [self] in
            var failure: Error?
            while let positions = await queue.receive() {
                guard failure == nil else { continue }  // keep receiving so the writer never hangs
                do {
                    try afterCommit(positions)
                } catch {
                    failure = error
                    onFailure(error)
                }
            }
            end(failure: failure)
        }
    }

    /// A batch of these positions was committed; waits while the follower is `capacity`
    /// batches behind.
    func committed(_ positions: [Int]) async {
        await queue.send(positions)
    }

    /// No more batches: returns once the follower has handled every batch, or was abandoned.
    /// Throws the follower's failure.
    func finish() async throws {
        queue.close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Stops waiting for the follower: batches queued or sent later are dropped and `finish`
    /// returns. A call stuck in `afterCommit` stays stuck on its thread until the process ends.
    func abandon() {
        queue.abandon()
        if end(failure: nil) { wasAbandoned.store(true, ordering: .relaxed) }
    }

    /// `abandon()` unless the follower has caught up within `grace` (a slow reader gets the
    /// last lines; a stuck one does not hold the scan).
    func abandon(after grace: Duration) {
        Task { [self] in
            try? await Task.sleep(for: grace)
            abandon()
        }
    }

    /// `abandon()` cut the output short.
    var abandoned: Bool { wasAbandoned.load(ordering: .relaxed) }

    /// Ends the follower once; false when it had ended already.
    @discardableResult
    private func end(failure: Error?) -> Bool {
        let (first, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.ended else { return (false, nil) }
            state.ended = true
            state.failure = failure
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume()
        return first
    }
}
