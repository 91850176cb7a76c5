/// Politeness towards one policy-host address: what that server sees of us.
///
/// The rule (docs/architecture.md, "Politeness"):
/// - At most `perIP` fetches *serving* at once: started (or reserved for a global slot) and
///   not yet stalled. Further fetches wait in the address's FIFO.
/// - A fetch that has run longer than its stall time stops counting against `perIP` (it
///   becomes *stalled*: still open, left to its own fetch timeout) and its slot passes to
///   the next waiting fetch. The stall time is 8 times the address's typical fetch time (an
///   average of fetches it completed while serving), at least 200 ms and at most the
///   configured ceiling (3 s by default; the ceiling alone before any fetch completed).
/// - At most `maxOpen` fetches open at once (serving + stalled), so an address whose hosts
///   all hang cannot take every connection: once reached, nothing new starts for it until
///   something ends.
///
/// - Optionally at most `connectionsPerSecond` new fetches started per second (a token
///   bucket holding `perIP` tokens), remembered between bursts like the typical time.
///
/// So a server sees at most `perIP` requests that it is answering at its usual pace, at most
/// `maxOpen` connections, and new connections only as fast as fetches end or stall (a slot
/// is reused at most once per stall time). A hung host costs its own timeout, not everyone
/// else's. Pure bookkeeping, no I/O; `Item` is the loop's `Transfer`.
struct AddressSlots<Item> {
    /// The limits of one address.
    struct Limits: Equatable {
        var perIP: Int
        var maxOpen: Int
        /// Stall time before any fetch completed, and its upper bound (nanoseconds).
        var stallCeilingNs: UInt64
        /// New fetches started per second at most; nil: no rate limit.
        var connectionsPerSecond: Double? = nil
    }

    static var stallFactor: Double { 8 }
    static var stallFloorNs: UInt64 { 200_000_000 }

    /// Fetches counting against `perIP` (running, or reserved and waiting for a global slot).
    private(set) var serving = 0
    /// Running fetches past their stall time.
    private(set) var stalled = 0
    /// Fetches waiting for a slot, oldest first.
    var waiting = RingBuffer<Item>()
    /// Moving average of the durations of fetches that completed while serving (ns).
    private(set) var typicalNs: Double?

    /// New-connection tokens, when the limits have a rate.
    private(set) var bucket: TokenBucket?

    init(typicalNs: Double? = nil, bucket: TokenBucket? = nil) {
        self.typicalNs = typicalNs
        self.bucket = bucket
    }

    var open: Int { serving + stalled }
    /// Nothing serving, stalled or waiting: the entry can go.
    var isIdle: Bool { serving == 0 && stalled == 0 && waiting.isEmpty }

    func hasRoom(_ limits: Limits) -> Bool { serving < limits.perIP && open < limits.maxOpen }

    /// Takes a slot for `item` when there is room (true), else queues it (false).
    mutating func admit(_ item: Item, _ limits: Limits, nowNs: UInt64 = 0) -> Bool {
        guard waiting.isEmpty, hasRoom(limits), takeToken(limits, nowNs: nowNs) else {
            waiting.append(item)
            return false
        }
        serving += 1
        return true
    }

    /// Fetches wait although a slot is free: only the connection rate holds them back.
    func heldByRate(_ limits: Limits) -> Bool { !waiting.isEmpty && hasRoom(limits) }

    private mutating func takeToken(_ limits: Limits, nowNs: UInt64) -> Bool {
        guard let rate = limits.connectionsPerSecond else { return true }
        if bucket == nil { bucket = TokenBucket(rate: rate, burst: Double(limits.perIP), nowNs: nowNs) }
        return bucket!.take(nowNs: nowNs)
    }

    /// How long a fetch to this address may run before it counts as stalled.
    func stallAfterNs(_ limits: Limits) -> UInt64 {
        guard let typicalNs else { return limits.stallCeilingNs }
        let scaled = UInt64(min(Double(limits.stallCeilingNs), typicalNs * Self.stallFactor))
        return min(limits.stallCeilingNs, max(Self.stallFloorNs, scaled))
    }

    /// A serving fetch ran past its stall time: it stops counting against `perIP`.
    mutating func stall() {
        precondition(serving > 0, "stall without a serving fetch")
        serving -= 1
        stalled += 1
    }

    /// A fetch ended (or a reserved one was dropped before it started). `durationNs` feeds
    /// the typical fetch time when it ended while still serving.
    mutating func end(wasStalled: Bool, durationNs: UInt64?) {
        if wasStalled {
            precondition(stalled > 0, "end of an unknown stalled fetch")
            stalled -= 1
        } else {
            precondition(serving > 0, "end of an unknown serving fetch")
            serving -= 1
            if let durationNs {
                let sample = Double(durationNs)
                typicalNs = typicalNs.map { $0 * 0.8 + sample * 0.2 } ?? sample
            }
        }
    }

    /// The next waiting item that may start now (its slot taken), or nil. `isLive` drops
    /// items whose caller is gone (`dropped` is called for each).
    mutating func next(_ limits: Limits, nowNs: UInt64 = 0, isLive: (Item) -> Bool, dropped: (Item) -> Void) -> Item? {
        while hasRoom(limits), let item = waiting.first {
            if !isLive(item) {
                _ = waiting.popFirst()
                dropped(item)
                continue
            }
            guard takeToken(limits, nowNs: nowNs) else { return nil }
            _ = waiting.popFirst()
            serving += 1
            return item
        }
        return nil
    }
}
