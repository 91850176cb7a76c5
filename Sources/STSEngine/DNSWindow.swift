/// How many DNS queries the engine keeps in flight: a window that adapts to the resolver,
/// or a fixed number (`--dns-in-flight`).
///
/// Two signals steer the adaptive window:
/// - **Delay** (the early one). The lowest round trip of a period is compared with the lowest
///   round trip seen in the scan (`baseRttNs`). A queue in front of the resolver (a proxy's
///   socket buffer, a busy recursor) delays every answer, the fastest included, long before
///   it overflows; service-time spread (cache hits next to 100 ms recursions) does not raise
///   the lowest one. When the queueing delay exceeds `targetDelayNs` the window is scaled
///   toward what would leave only that much queue (Little's law: W x (base + target) / RTT,
///   never below half), once per round trip: answers to queries sent before the decrease
///   still carry the old queue and are not judged again.
/// - **Loss** (the late one). Tries that timed out are counted per period of one DNS timeout
///   (the time it takes to notice one); a period whose losses exceed 1% of its outcomes halves
///   the window, and growth beyond 85% of where the loss happened is slow from then on.
///   Sparse losses (a few dead name servers among thousands of answers) do not shrink it, nor
///   do periods of fewer than `minimumSamples` outcomes (the dead names left at a scan's end).
///
/// Growth: slow start (one more per answer: doubling per round trip) until the first
/// decrease; then max(8, window/16) per round trip below the loss ceiling, 8 above it. So a
/// deep, slow resolver (Unbound 30-100 ms away, 1,000+ in flight needed) still opens wide,
/// while a shallow queue that drops at 1,024 is held near its knee. Never below `floor` or
/// above `cap`. Pure bookkeeping, loop thread only.
struct DNSWindow {
    static let initial = 256
    static let floor = 16
    /// Queueing delay tolerated above the lowest round trip: at least this much (the loop's
    /// own batching and a descheduled thread cost a few ms on a busy machine)...
    static let targetDelayFloorNs: UInt64 = 5_000_000
    /// ... or this fraction of the lowest round trip on a slow route.
    static let targetDelayShare = 0.5
    /// Answers a delay period needs before it is judged (a few answers prove no queue).
    static let minimumSamples = 32
    /// Shortest delay period; periods also last at least two lowest round trips.
    static let delayPeriodFloorNs: UInt64 = 20_000_000

    /// False: a fixed window (`maxQueriesInFlight`).
    let adaptive: Bool
    let cap: Int
    private var size: Double
    private var slowStart = true
    /// Growth above this is slow: 85% of the window at the last loss decrease.
    private var lossCeiling: Double

    private let lossPeriodNs: UInt64
    private var lossPeriodStartNs: UInt64
    private var periodAnswers = 0
    private var periodLosses = 0

    /// Lowest round trip seen (answers at their first try); `.max` before the first.
    private(set) var baseRttNs: UInt64 = .max
    private var delayPeriodStartNs: UInt64
    private var delayPeriodMinNs: UInt64 = .max
    private var delaySamples = 0
    /// Queries sent before this instant carry the queue of before the last delay decrease.
    private var judgedFromNs: UInt64 = 0

    /// Smallest and largest window so far.
    private(set) var smallest: Int
    private(set) var largest: Int
    /// Times the window was halved after losses.
    private(set) var decreases = 0
    /// Times the window was scaled down because answers queued (delay signal).
    private(set) var delayDecreases = 0

    init(adaptive: Bool, cap: Int, timeoutMs: Int, nowNs: UInt64) {
        self.adaptive = adaptive
        self.cap = max(1, cap)
        size = adaptive ? Double(min(Self.initial, self.cap)) : Double(self.cap)
        lossCeiling = Double(self.cap)
        lossPeriodNs = UInt64(max(100, timeoutMs)) * 1_000_000
        lossPeriodStartNs = nowNs
        delayPeriodStartNs = nowNs
        smallest = Int(size)
        largest = Int(size)
    }

    /// Queries that may be in flight now.
    var limit: Int { Int(size) }

    /// Queueing delay tolerated above the lowest round trip.
    var targetDelayNs: UInt64 {
        guard baseRttNs != .max else { return Self.targetDelayFloorNs }
        return max(Self.targetDelayFloorNs, UInt64(Double(baseRttNs) * Self.targetDelayShare))
    }

    /// A query got an answer after `lostTries` tries timed out. `sentNs`..`nowNs` is its round
    /// trip, a delay sample when no try was lost (a retransmission's answer has no clear start).
    mutating func answered(lostTries: Int, sentNs: UInt64, nowNs: UInt64) {
        periodAnswers += 1
        periodLosses += lostTries
        guard adaptive else { return }
        if lostTries == 0, nowNs >= sentNs {
            let rtt = nowNs - sentNs
            baseRttNs = min(baseRttNs, rtt)
            if sentNs >= judgedFromNs {
                delayPeriodMinNs = min(delayPeriodMinNs, rtt)
                delaySamples += 1
            }
        }
        let perRoundTrip = slowStart ? size : (size < lossCeiling ? max(8, size / 16) : 8)
        size = min(Double(cap), size + perRoundTrip / size)
        note()
    }

    /// A query's every try timed out.
    mutating func timedOut(tries: Int) {
        periodAnswers += 1
        periodLosses += max(1, tries)
    }

    /// The loop's tick: closes a delay period or a loss period and applies its decrease.
    mutating func tick(nowNs: UInt64) {
        guard adaptive else { return }
        judgeDelay(nowNs: nowNs)
        guard nowNs >= lossPeriodStartNs, nowNs - lossPeriodStartNs >= lossPeriodNs else { return }
        // A handful of outcomes proves nothing either: at the end of a scan only the names
        // whose servers never answer are left, and they must not collapse the window.
        if periodLosses > 0, periodAnswers >= Self.minimumSamples,
           Double(periodLosses) > 0.01 * Double(periodAnswers + periodLosses) {
            lossCeiling = size * 0.85
            size = max(Double(min(Self.floor, cap)), size / 2)
            slowStart = false
            decreases += 1
            note()
        }
        lossPeriodStartNs = nowNs
        periodAnswers = 0
        periodLosses = 0
    }

    private mutating func judgeDelay(nowNs: UInt64) {
        guard nowNs >= delayPeriodStartNs else { return }
        let elapsed = nowNs - delayPeriodStartNs
        let base = baseRttNs == .max ? 0 : baseRttNs
        guard elapsed >= max(Self.delayPeriodFloorNs, 2 * base) else { return }
        if delaySamples >= Self.minimumSamples {
            let allowed = base + targetDelayNs
            if delayPeriodMinNs > allowed {
                let scale = max(0.5, Double(allowed) / Double(delayPeriodMinNs))
                size = max(Double(min(Self.floor, cap)), size * scale)
                slowStart = false
                delayDecreases += 1
                judgedFromNs = nowNs
                note()
            }
        } else if elapsed < lossPeriodNs {
            return  // too few answers yet: keep collecting, up to a loss period
        }
        delayPeriodStartNs = nowNs
        delayPeriodMinNs = .max
        delaySamples = 0
    }

    private mutating func note() {
        smallest = min(smallest, Int(size))
        largest = max(largest, Int(size))
    }
}
