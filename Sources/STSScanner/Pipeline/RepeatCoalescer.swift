import STSCore
import STSStore
import Synchronization

/// Probes a name once when the list repeats it (other spellings of one name: case, a root
/// dot, U-labels, or the same line twice): an entry whose normalised name is being probed
/// waits for that probe, and one whose name was probed recently copies its result, so a
/// list of 100,000 spellings of two names sends the queries of two domains. The copy is the
/// row a second probe would most likely have stored (the same measurements, the entry's own
/// position, rank and input); `markDuplicates` still adds `input-duplicate` when the scan
/// finishes, exactly as for any repeat.
///
/// Memory is bounded: names being probed (at most `concurrency`) plus the last `window`
/// distinct names probed with their results, the size of the writer's queue. A repeat further
/// back than that is probed again, as every repeat was before (and still marked).
final class RepeatCoalescer: Sendable {
    private enum Claim { case first, copy(DomainRecord), alone }

    private struct State {
        /// Names being probed, with the entries waiting for the result (told to probe on
        /// their own when it is not stored: the scan stopped).
        var running: [String: [CheckedContinuation<Claim, Never>]] = [:]
        var recent: [String: DomainRecord] = [:]
        /// `recent`'s names, oldest first from `next` (a ring of `window` slots).
        var order: [String] = []
        var next = 0
    }

    private let window: Int
    private let state = Mutex(State())

    init(window: Int) {
        self.window = max(0, window)
    }

    /// `entry`'s result: probed by `probe`, or the result of an earlier entry of the same name.
    func result(of entry: InputEntry, probe: DomainProbe) async -> DomainRecord {
        guard window > 0, entry.problem == nil, case .success(let name) = DomainName.normalize(entry.raw) else {
            return await probe.probe(entry).0
        }
        switch await claim(name) {
        case .copy(let earlier):
            return earlier.repeated(as: entry)
        case .alone:
            return await probe.probe(entry).0
        case .first:
            let result = await probe.probe(entry).0
            // A probe cut short by cancellation is not stored: no entry may copy it.
            finished(name, Task.isCancelled ? nil : result)
            return result
        }
    }

    private func claim(_ name: String) async -> Claim {
        await withCheckedContinuation { (continuation: CheckedContinuation<Claim, Never>) in
            let claim: Claim? = state.withLock { state in
                if let earlier = state.recent[name] { return .copy(earlier) }
                if state.running[name] != nil {
                    state.running[name]?.append(continuation)
                    return nil
                }
                state.running[name] = []
                return .first
            }
            if let claim { continuation.resume(returning: claim) }
        }
    }

    private func finished(_ name: String, _ result: DomainRecord?) {
        let waiters = state.withLock { state -> [CheckedContinuation<Claim, Never>] in
            let waiters = state.running.removeValue(forKey: name) ?? []
            guard let result, state.recent[name] == nil else { return waiters }
            if state.order.count < window {
                state.order.append(name)
            } else {
                state.recent[state.order[state.next]] = nil
                state.order[state.next] = name
                state.next = (state.next + 1) % window
            }
            state.recent[name] = result
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: result.map(Claim.copy) ?? .alone) }
    }
}

extension DomainRecord {
    /// This record as the result of `entry`, another spelling of the same name: the same
    /// measurements under the entry's position, rank and input. The MX probes stay with
    /// the record that ran them (each host's probe is stored once per scan).
    func repeated(as entry: InputEntry) -> DomainRecord {
        var copy = self
        copy.position = entry.position
        copy.rank = entry.rank
        copy.input = entry.raw
        copy.mxProbes = []
        return copy
    }
}
