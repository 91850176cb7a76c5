import Testing
@testable import STSEngine

/// The adaptive DNS window without sockets (`DNSWindow`).
struct DNSWindowTests {
    let second: UInt64 = 1_000_000_000
    let ms: UInt64 = 1_000_000

    /// `count` answers without lost tries, each with round trip `rtt`, sent at `now - rtt`.
    private func answer(_ window: inout DNSWindow, _ count: Int, rtt: UInt64, now: UInt64) {
        for _ in 0..<count { window.answered(lostTries: 0, sentNs: now - rtt, nowNs: now) }
    }

    @Test("slow start: one more per answer up to the cap")
    func slowStart() {
        var window = DNSWindow(adaptive: true, cap: 600, timeoutMs: 1000, nowNs: 0)
        #expect(window.limit == DNSWindow.initial)
        answer(&window, 100, rtt: ms, now: 10 * ms)
        #expect(window.limit == DNSWindow.initial + 100)
        answer(&window, 1000, rtt: ms, now: 10 * ms)
        #expect(window.limit == 600)
    }

    @Test("a period with more than 1% lost tries halves the window and ends slow start")
    func multiplicativeDecrease() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        answer(&window, 744, rtt: ms, now: 10 * ms)  // 1000
        for _ in 0..<20 { window.timedOut(tries: 2) }  // 40 lost of 804
        window.tick(nowNs: second / 2)
        #expect(window.limit == 1000, "the period has not ended yet")
        window.tick(nowNs: second)
        #expect(window.limit == 500)
        #expect(window.decreases == 1 && window.smallest == 256 && window.largest == 1000)
        // Below 85% of where the loss happened growth is max(8, W/16) per round trip (a
        // window of answers); above it, 8.
        answer(&window, 500, rtt: ms, now: second + 10 * ms)
        #expect((529...533).contains(window.limit), "about 500 + 500/16: \(window.limit)")
        var high = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        answer(&high, 744, rtt: ms, now: 10 * ms)
        for _ in 0..<20 { high.timedOut(tries: 2) }
        high.tick(nowNs: second)
        answer(&high, 6000, rtt: ms, now: second + 10 * ms)  // past 850 (1/16 per answer below it): then 8 per window
        let atCeiling = high.limit
        answer(&high, atCeiling, rtt: ms, now: second + 20 * ms)
        #expect((atCeiling + 7...atCeiling + 9).contains(high.limit))
    }

    @Test("a period of a few outcomes, all lost (a scan's dead names at its end), does not shrink it")
    func fewOutcomes() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        for period in 1...5 {
            for _ in 0..<(DNSWindow.minimumSamples - 1) { window.timedOut(tries: 3) }
            window.tick(nowNs: UInt64(period) * second)
        }
        #expect(window.limit == DNSWindow.initial && window.decreases == 0)
    }

    @Test("sparse losses (1% or less) do not shrink the window")
    func sparseLosses() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        answer(&window, 990, rtt: ms, now: 10 * ms)
        window.timedOut(tries: 1)
        window.answered(lostTries: 1, sentNs: 0, nowNs: 20 * ms)
        window.tick(nowNs: second)
        #expect(window.limit == 256 + 991)
        #expect(window.decreases == 0)
    }

    @Test("never below the floor; a fixed window never moves")
    func floorAndFixed() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        for period in 1...10 {
            for _ in 0..<DNSWindow.minimumSamples { window.timedOut(tries: 3) }
            window.tick(nowNs: UInt64(period) * second)
        }
        #expect(window.limit == DNSWindow.floor)
        var fixed = DNSWindow(adaptive: false, cap: 512, timeoutMs: 1000, nowNs: 0)
        answer(&fixed, 100, rtt: ms, now: 10 * ms)
        fixed.timedOut(tries: 3)
        fixed.tick(nowNs: second)
        #expect(fixed.limit == 512 && fixed.smallest == 512 && fixed.largest == 512)
    }

    @Test("a queue shows as delay before any loss: the window shrinks toward the knee")
    func queueingDelayShrinks() {
        var window = DNSWindow(adaptive: true, cap: 2048, timeoutMs: 2000, nowNs: 0)
        // Unloaded: 0.2 ms round trips set the base; no decrease.
        answer(&window, 200, rtt: 200_000, now: 10 * ms)
        window.tick(nowNs: 25 * ms)
        #expect(window.delayDecreases == 0 && window.limit == 456)
        #expect(window.baseRttNs == 200_000)
        // A queue of 20.2 ms in front of the resolver: even the fastest answer waits. The window
        // is scaled by (base + target) / RTT = 5.2 / 20.2, but never by less than half.
        answer(&window, 100, rtt: 20_200_000, now: 40 * ms)
        window.tick(nowNs: 50 * ms)
        #expect(window.delayDecreases == 1)
        #expect(window.limit == 278, "556 halved: \(window.limit)")
        // Answers to queries sent before the decrease carry the old queue: not judged again.
        answer(&window, 100, rtt: 20 * ms, now: 60 * ms)
        window.tick(nowNs: 75 * ms)
        #expect(window.delayDecreases == 1)
        // Queries sent after it meet a queue of 7.8 ms above the base: scaled by 5.2/8.
        answer(&window, 100, rtt: 8 * ms, now: 80 * ms)
        window.tick(nowNs: 100 * ms)
        #expect(window.delayDecreases == 2)
        #expect(window.decreases == 0, "no loss was needed")
    }

    @Test("a slow, deep resolver opens wide: spread of service times is not a queue")
    func deepResolverOpensWide() {
        var window = DNSWindow(adaptive: true, cap: 2048, timeoutMs: 2000, nowNs: 0)
        var now: UInt64 = 100 * ms
        // Unbound 30-100 ms from the authorities: answers spread, the fastest stays near 30 ms.
        for round in 0..<40 {
            now += 50 * ms
            for index in 0..<window.limit {
                let rtt = UInt64(30 + (index * 7 + round) % 71) * ms
                window.answered(lostTries: 0, sentNs: now - rtt, nowNs: now)
            }
            window.tick(nowNs: now)
        }
        #expect(window.limit == 2048)
        #expect(window.delayDecreases == 0)
        #expect(window.targetDelayNs == 15 * ms, "half the 30 ms base")
    }

    @Test("too few answers are not judged: a sparse period proves nothing")
    func sparseSamples() {
        var window = DNSWindow(adaptive: true, cap: 2048, timeoutMs: 2000, nowNs: 0)
        answer(&window, 100, rtt: 100_000, now: 10 * ms)
        window.tick(nowNs: 30 * ms)
        answer(&window, DNSWindow.minimumSamples - 1, rtt: 50 * ms, now: 80 * ms)
        window.tick(nowNs: 100 * ms)
        #expect(window.delayDecreases == 0)
        answer(&window, 1, rtt: 50 * ms, now: 110 * ms)
        window.tick(nowNs: 120 * ms)
        #expect(window.delayDecreases == 1)
    }
}
