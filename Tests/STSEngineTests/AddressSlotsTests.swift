import Testing
@testable import STSEngine

/// The per-address politeness rule without sockets (`AddressSlots`).
struct AddressSlotsTests {
    let limits = AddressSlots<Int>.Limits(perIP: 2, maxOpen: 3, stallCeilingNs: 3_000_000_000)

    @Test("at most perIP serving; the rest wait in order")
    func servingLimit() {
        var slots = AddressSlots<Int>()
        let admitted = [slots.admit(1, limits), slots.admit(2, limits), slots.admit(3, limits), slots.admit(4, limits)]
        #expect(admitted == [true, true, false, false])
        #expect(slots.serving == 2 && slots.waiting.count == 2)
        slots.end(wasStalled: false, durationNs: 10_000_000)
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == 3) }
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == nil) }
    }

    @Test("a stalled fetch frees its slot, up to maxOpen connections in all")
    func stallFreesSlotWithinCap() {
        var slots = AddressSlots<Int>()
        _ = slots.admit(1, limits)
        _ = slots.admit(2, limits)
        _ = slots.admit(3, limits)
        _ = slots.admit(4, limits)
        slots.stall()  // 1 hangs
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == 3) }
        #expect(slots.open == 3 && slots.serving == 2 && slots.stalled == 1)
        slots.stall()  // 2 hangs too: the cap (3 open) holds 4 back although only one serves
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == nil) }
        slots.end(wasStalled: true, durationNs: nil)  // 1 times out
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == 4) }
        #expect(slots.stalled == 1 && slots.serving == 2)
    }

    @Test("a new fetch queues behind waiting ones even when a slot is free")
    func fifoFairness() {
        var slots = AddressSlots<Int>()
        _ = slots.admit(1, limits)
        _ = slots.admit(2, limits)
        _ = slots.admit(3, limits)
        slots.end(wasStalled: false, durationNs: nil)
        let queued = !slots.admit(4, limits)
        #expect(queued)
        do { let next = slots.next(limits, isLive: { _ in true }, dropped: { _ in }); #expect(next == 3) }
    }

    @Test("dropped callers are skipped and reported")
    func droppedItems() {
        var slots = AddressSlots<Int>()
        _ = slots.admit(1, limits)
        _ = slots.admit(2, limits)
        _ = slots.admit(3, limits)
        _ = slots.admit(4, limits)
        slots.end(wasStalled: false, durationNs: nil)
        var dropped: [Int] = []
        do { let next = slots.next(limits, isLive: { $0 != 3 }, dropped: { dropped.append($0) }); #expect(next == 4) }
        #expect(dropped == [3])
        slots.end(wasStalled: false, durationNs: nil)
        slots.end(wasStalled: false, durationNs: nil)
        #expect(slots.isIdle)
    }

    @Test("stall time: the ceiling before any fetch ended, then 8x typical within [200 ms, ceiling]")
    func stallTime() {
        var slots = AddressSlots<Int>()
        #expect(slots.stallAfterNs(limits) == 3_000_000_000)
        for _ in 0..<4 { _ = slots.admit(0, limits) }
        slots.end(wasStalled: false, durationNs: 5_000_000)  // 5 ms: 40 ms, raised to the floor
        #expect(slots.stallAfterNs(limits) == 200_000_000)
        slots.end(wasStalled: false, durationNs: 405_000_000)  // average 85 ms: 680 ms
        #expect((679_999_000...680_001_000).contains(slots.stallAfterNs(limits)))
        var slow = AddressSlots<Int>()
        _ = slow.admit(0, limits)
        slow.end(wasStalled: false, durationNs: 1_000_000_000)  // 1 s: capped at the ceiling
        #expect(slow.stallAfterNs(limits) == 3_000_000_000)
    }

    @Test("connection rate: perIP at once, then one per 1/rate seconds, even with free slots")
    func connectionRate() {
        var rated = limits
        rated.perIP = 4
        rated.maxOpen = 8
        rated.connectionsPerSecond = 10  // one per 100 ms, burst of 4
        var slots = AddressSlots<Int>()
        let ms: UInt64 = 1_000_000
        var admitted: [Bool] = []
        for item in 0..<6 { admitted.append(slots.admit(item, rated, nowNs: 1_000 * ms)) }
        #expect(admitted == [true, true, true, true, false, false])
        slots.end(wasStalled: false, durationNs: ms)
        slots.end(wasStalled: false, durationNs: ms)
        #expect(slots.heldByRate(rated), "two slots free, no token yet")
        do { let next = slots.next(rated, nowNs: 1_050 * ms, isLive: { _ in true }, dropped: { _ in }); #expect(next == nil) }
        do { let next = slots.next(rated, nowNs: 1_101 * ms, isLive: { _ in true }, dropped: { _ in }); #expect(next == 4) }
        do { let next = slots.next(rated, nowNs: 1_102 * ms, isLive: { _ in true }, dropped: { _ in }); #expect(next == nil) }
        do { let next = slots.next(rated, nowNs: 1_202 * ms, isLive: { _ in true }, dropped: { _ in }); #expect(next == 5) }
        #expect(!slots.heldByRate(rated))
    }
}
