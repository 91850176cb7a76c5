/// Token bucket for the DNS query rate: `rate` tokens per second, at most `burst` saved.
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var lastNs: UInt64

    init(rate: Double, burst: Double, nowNs: UInt64) {
        self.rate = rate
        self.burst = max(1, burst)
        self.tokens = self.burst
        self.lastNs = nowNs
    }

    /// Takes one token if one is available at `nowNs`.
    mutating func take(nowNs: UInt64) -> Bool {
        if nowNs > lastNs {
            tokens = min(burst, tokens + Double(nowNs - lastNs) * rate / 1e9)
            lastNs = nowNs
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
