/// Which connections a driver may open now: the admission rule shared by policy fetches
/// (`HTTPDriver`) and MX probes (`SMTPDriver`), as a state machine without I/O.
///
/// The rule (docs/architecture.md, "Politeness"):
/// - per address, `AddressSlots`: at most `perIP` items serving, the rest in the address's
///   FIFO; an item past its address's stall time stops counting (it is *stalled*), at most
///   `maxOpen` open per address, optionally a connection rate;
/// - in all, at most `maxRunning` items running that are not stalled, and at most
///   `maxStalled` stalled ones (beyond that, slow items keep their slots);
/// - items admitted by their address wait in `ready`, in order, for a global slot.
///
/// The drivers are its executors: they call `submit`, `pump`, `ended` and `tick`, and carry
/// out the returned actions with curl (`start`), by releasing the dropped request (`drop`:
/// its caller went away while it waited) or by marking an item stalled (`stall`). The
/// machine never sees a socket or a clock: times are passed in, so tests drive it alone.
struct AdmissionMachine<Item> {
    /// The limits of one driver.
    struct Limits {
        /// Per address (`AddressSlots`).
        var address: AddressSlots<Item>.Limits
        /// Items running at once that are not stalled.
        var maxRunning: Int
        /// Stalled items running at once.
        var maxStalled: Int
        /// Keep an idle address's typical time and connection tokens (policy fetches: an
        /// address keeps its stall time and rate between bursts).
        var remembersAddresses: Bool
    }

    /// What the driver does next.
    enum Action {
        /// Open the item's connection now (its slots are taken).
        case start(Item)
        /// Its caller went away while it waited: release the request, open nothing.
        case drop(Item)
        /// It ran past its address's stall time: it no longer holds a per-address or global
        /// slot; mark it so that its end is reported as `wasStalled`.
        case stall(Item)
    }

    /// The facts of a running item that `tick` judges.
    struct RunningItem {
        var item: Item
        var address: String
        var startedNs: UInt64
        var stalled: Bool
    }

    let limits: Limits
    /// Whether the caller still waits for an item (a cancelled item is dropped when reached).
    private let isLive: (Item) -> Bool
    /// Items admitted by their address, waiting for a global slot.
    private var ready = RingBuffer<(item: Item, address: String)>()
    /// An entry per address with an item serving, stalled or waiting.
    private var addresses: [String: AddressSlots<Item>] = [:]
    /// Typical times and tokens of addresses whose entry went idle (`remembersAddresses`);
    /// emptied when it reaches `addressMemory` entries.
    private var remembered: [String: (typicalNs: Double?, bucket: TokenBucket?)] = [:]
    static var addressMemory: Int { 65536 }
    /// Addresses with items waiting only for a connection token (retried every tick).
    private var heldByRate: Set<String> = []
    /// Running items not stalled (at most `maxRunning`).
    private(set) var running = 0
    /// Running items that are stalled (at most `maxStalled`).
    private(set) var stalledRunning = 0

    init(limits: Limits, isLive: @escaping (Item) -> Bool) {
        self.limits = limits
        self.isLive = isLive
    }

    /// Addresses with an entry (something serving, stalled or waiting).
    var activeAddresses: Int { addresses.count }

    /// A new item for `address`: it takes a per-address slot and waits in `ready`, or waits
    /// in the address's FIFO. Call `pump` to start what may start.
    mutating func submit(_ item: Item, address: String, nowNs: UInt64) {
        // In place through the subscript: a copy of the entry would copy its FIFO
        // (copy-on-write), once per item, when one address has thousands waiting.
        if addresses[address] == nil {
            let memory = remembered[address]
            addresses[address] = AddressSlots(typicalNs: memory?.typicalNs, bucket: memory?.bucket)
        }
        if addresses[address]!.admit(item, limits.address, nowNs: nowNs) {
            ready.append((item, address))
        }
    }

    /// The ready items that may start while fewer than `maxRunning` run (each `start` takes
    /// a global slot), and the dead ones met on the way (`drop`, their slots released).
    mutating func pump(nowNs: UInt64) -> [Action] {
        var actions: [Action] = []
        while running < limits.maxRunning, let (item, address) = ready.popFirst() {
            guard isLive(item) else {
                actions.append(.drop(item))
                release(address, wasStalled: false, durationNs: nil, nowNs: nowNs, into: &actions)
                continue
            }
            running += 1
            actions.append(.start(item))
        }
        return actions
    }

    /// A started item ended (or failed to start): its global and per-address slots pass on.
    /// `durationNs` feeds the address's typical time when it ended while serving (nil: it
    /// never ran). Returns the drops met while admitting waiting items; call `pump` next.
    mutating func ended(address: String, wasStalled: Bool, durationNs: UInt64?, nowNs: UInt64) -> [Action] {
        if wasStalled {
            precondition(stalledRunning > 0, "end of an unknown stalled item")
            stalledRunning -= 1
        } else {
            precondition(running > 0, "end of an unknown running item")
            running -= 1
        }
        var actions: [Action] = []
        release(address, wasStalled: wasStalled, durationNs: durationNs, nowNs: nowNs, into: &actions)
        return actions
    }

    /// The loop's tick: addresses held back by their connection rate get another chance, and
    /// running items past their address's stall time become stalled (up to `maxStalled`), so
    /// a hung host holds no slot that others wait for. Call `pump` next.
    mutating func tick(nowNs: UInt64, running items: some Sequence<RunningItem>) -> [Action] {
        var actions: [Action] = []
        if !heldByRate.isEmpty {
            for address in heldByRate { admitWaiting(at: address, nowNs: nowNs, into: &actions) }
        }
        var freed: [String] = []
        for running in items where !running.stalled {
            // No local copy of the entry: it would share, and then copy, the waiting FIFO.
            guard stalledRunning < limits.maxStalled,
                  let stallAfterNs = addresses[running.address]?.stallAfterNs(limits.address),
                  nowNs > running.startedNs, nowNs - running.startedNs > stallAfterNs else { continue }
            addresses[running.address]?.stall()
            self.running -= 1
            stalledRunning += 1
            actions.append(.stall(running.item))
            freed.append(running.address)
        }
        for address in freed { admitWaiting(at: address, nowNs: nowNs, into: &actions) }
        return actions
    }

    /// Every item not started yet (ready and waiting), for a shutdown; the machine is empty
    /// of them afterwards.
    mutating func removeWaiting() -> [Item] {
        var items: [Item] = []
        while let (item, _) = ready.popFirst() { items.append(item) }
        for address in Array(addresses.keys) {
            while let item = addresses[address]?.waiting.popFirst() { items.append(item) }
        }
        addresses = [:]
        heldByRate = []
        return items
    }

    private mutating func release(_ address: String, wasStalled: Bool, durationNs: UInt64?, nowNs: UInt64,
                                  into actions: inout [Action]) {
        // In place through the subscript, as in `submit`: no copy of the waiting FIFO.
        addresses[address]?.end(wasStalled: wasStalled, durationNs: durationNs)
        admitWaiting(at: address, nowNs: nowNs, into: &actions)
    }

    /// Moves the items an address has room for from its FIFO to `ready` (dead ones become
    /// `drop`s); drops the entry once it is idle.
    private mutating func admitWaiting(at address: String, nowNs: UInt64, into actions: inout [Action]) {
        let isLive = self.isLive
        var dropped: [Item] = []
        while let next = addresses[address]?.next(limits.address, nowNs: nowNs, isLive: isLive,
                                                  dropped: { dropped.append($0) }) {
            ready.append((next, address))
        }
        actions += dropped.map(Action.drop)
        guard let slots = addresses[address] else { return }
        if slots.heldByRate(limits.address) { heldByRate.insert(address) } else { heldByRate.remove(address) }
        if slots.isIdle {
            if limits.remembersAddresses, slots.typicalNs != nil || slots.bucket != nil {
                if remembered.count >= Self.addressMemory { remembered.removeAll(keepingCapacity: true) }
                remembered[address] = (slots.typicalNs, slots.bucket)
            }
            addresses[address] = nil
        }
    }
}
