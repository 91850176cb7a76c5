/// How many DNS queries the engine keeps in flight: an AIMD window that adapts to the
/// resolver, or a fixed number (`--dns-in-flight`).
///
/// Adaptive rule: start at `initial`; every answer adds 1 while no loss was seen yet (slow
/// start: the window doubles per round trip), later 8/window (about 8 per round trip).
/// Losses (tries that timed out, whether the query then succeeded or not) are counted per
/// period of one DNS timeout (the time it takes to notice one); a period whose losses exceed
/// 1% of its outcomes halves the window (multiplicative decrease), never below `floor`, and
/// ends slow start. The window never exceeds `cap`. Sparse losses (a few dead name servers
/// among thousands of answers) do not shrink it; an overloaded resolver does.
/// Pure bookkeeping, loop thread only.
struct DNSWindow {
    static let initial = 256
    static let floor = 16

    /// False: a fixed window (`maxQueriesInFlight`).
    let adaptive: Bool
    let cap: Int
    private var size: Double
    private var slowStart = true
    private let periodNs: UInt64
    private var periodStartNs: UInt64
    private var periodAnswers = 0
    private var periodLosses = 0
    /// Smallest and largest window so far.
    private(set) var smallest: Int
    private(set) var largest: Int
    /// Times the window was halved.
    private(set) var decreases = 0

    init(adaptive: Bool, cap: Int, timeoutMs: Int, nowNs: UInt64) {
        self.adaptive = adaptive
        self.cap = max(1, cap)
        size = adaptive ? Double(min(Self.initial, self.cap)) : Double(self.cap)
        periodNs = UInt64(max(100, timeoutMs)) * 1_000_000
        periodStartNs = nowNs
        smallest = Int(size)
        largest = Int(size)
    }

    /// Queries that may be in flight now.
    var limit: Int { Int(size) }

    /// A query got an answer after `lostTries` tries timed out.
    mutating func answered(lostTries: Int) {
        periodAnswers += 1
        periodLosses += lostTries
        guard adaptive else { return }
        size = min(Double(cap), size + (slowStart ? 1 : 8 / size))
        note()
    }

    /// A query's every try timed out.
    mutating func timedOut(tries: Int) {
        periodAnswers += 1
        periodLosses += max(1, tries)
    }

    /// The loop's tick: closes a period and applies its decrease.
    mutating func tick(nowNs: UInt64) {
        guard nowNs >= periodStartNs, nowNs - periodStartNs >= periodNs else { return }
        if adaptive, periodLosses > 0, Double(periodLosses) > 0.01 * Double(periodAnswers + periodLosses) {
            size = max(Double(min(Self.floor, cap)), size / 2)
            slowStart = false
            decreases += 1
            note()
        }
        periodStartNs = nowNs
        periodAnswers = 0
        periodLosses = 0
    }

    private mutating func note() {
        smallest = min(smallest, Int(size))
        largest = max(largest, Int(size))
    }
}
