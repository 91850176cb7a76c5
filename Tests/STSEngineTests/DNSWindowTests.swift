import Testing
@testable import STSEngine

/// The adaptive DNS window without sockets (`DNSWindow`).
struct DNSWindowTests {
    let second: UInt64 = 1_000_000_000

    @Test("slow start: one more per answer up to the cap")
    func slowStart() {
        var window = DNSWindow(adaptive: true, cap: 600, timeoutMs: 1000, nowNs: 0)
        #expect(window.limit == DNSWindow.initial)
        for _ in 0..<100 { window.answered(lostTries: 0) }
        #expect(window.limit == DNSWindow.initial + 100)
        for _ in 0..<1000 { window.answered(lostTries: 0) }
        #expect(window.limit == 600)
    }

    @Test("a period with more than 1% lost tries halves the window and ends slow start")
    func multiplicativeDecrease() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        for _ in 0..<744 { window.answered(lostTries: 0) }  // 1000
        for _ in 0..<20 { window.timedOut(tries: 2) }        // 40 lost of 804
        window.tick(nowNs: second / 2)
        #expect(window.limit == 1000, "the period has not ended yet")
        window.tick(nowNs: second)
        #expect(window.limit == 500)
        #expect(window.decreases == 1 && window.smallest == 256 && window.largest == 1000)
        // Congestion avoidance: about 8 per window of answers.
        for _ in 0..<500 { window.answered(lostTries: 0) }
        #expect((507...509).contains(window.limit))
    }

    @Test("sparse losses (1% or less) do not shrink the window")
    func sparseLosses() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        for _ in 0..<990 { window.answered(lostTries: 0) }
        window.timedOut(tries: 1)
        window.answered(lostTries: 1)
        window.tick(nowNs: second)
        #expect(window.limit == 256 + 991)
        #expect(window.decreases == 0)
    }

    @Test("never below the floor; a fixed window never moves")
    func floorAndFixed() {
        var window = DNSWindow(adaptive: true, cap: 4096, timeoutMs: 1000, nowNs: 0)
        for period in 1...10 {
            window.timedOut(tries: 3)
            window.tick(nowNs: UInt64(period) * second)
        }
        #expect(window.limit == DNSWindow.floor)
        var fixed = DNSWindow(adaptive: false, cap: 512, timeoutMs: 1000, nowNs: 0)
        for _ in 0..<100 { fixed.answered(lostTries: 0) }
        fixed.timedOut(tries: 3)
        fixed.tick(nowNs: second)
        #expect(fixed.limit == 512 && fixed.smallest == 512 && fixed.largest == 512)
    }
}
