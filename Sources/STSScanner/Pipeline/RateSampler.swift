import Foundation
import Synchronization

/// Samples the stored-row count every 100 ms, for the scan's steady rate: domains per
/// second between the moments 10% and 90% of the run's domains were stored (the middle 80%
/// of completions). The whole-run rate also counts the start (the DNS window growing) and
/// the tail: a list's last domains wait for their own timeouts (a 20 s fetch, a tarpit's
/// greeting, DNS rounds), seconds in which little is stored. `scripts/bench.sh` takes the
/// same 10%..90% range from the progress log.
public final class RateSampler: Sendable {
    private let counters: ScanCounters
    private let alreadyStored: Int
    private let startedAt = ContinuousClock.now
    /// (seconds since start, rows stored this run), one per 100 ms (a ten-hour scan keeps
    /// 360,000: under 6 MB).
    private let samples = Mutex<[(Double, Int)]>([])

    public init(counters: ScanCounters, alreadyStored: Int) {
        self.counters = counters
        self.alreadyStored = alreadyStored
    }

    /// Samples until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            sample()
        }
    }

    func sample() {
        let done = counters.stored.load(ordering: .relaxed) - alreadyStored
        let now = seconds(ContinuousClock.now - startedAt)
        samples.withLock { $0.append((now, done)) }
    }

    /// Domains per second over the middle 80% of this run's completions; nil for runs too
    /// short to tell (fewer than 100 domains, or 10% and 90% within one sample).
    public func steadyRate() -> Double? {
        sample()
        return samples.withLock { Self.steadyRate($0) }
    }

    static func steadyRate(_ samples: [(Double, Int)]) -> Double? {
        guard let total = samples.last?.1, total >= 100 else { return nil }
        /// The moment `target` rows were stored, interpolated between the samples around it.
        func time(at target: Double) -> Double? {
            guard let index = samples.firstIndex(where: { Double($0.1) >= target }) else { return nil }
            guard index > 0 else { return samples[index].0 }
            let (t0, d0) = samples[index - 1], (t1, d1) = samples[index]
            return d1 == d0 ? t1 : t0 + (t1 - t0) * (target - Double(d0)) / Double(d1 - d0)
        }
        let low = 0.1 * Double(total), high = 0.9 * Double(total)
        guard let t10 = time(at: low), let t90 = time(at: high), t90 - t10 >= 0.05 else { return nil }
        return (high - low) / (t90 - t10)
    }
}
