import Testing
@testable import STSEngine

/// The admission rule shared by policy fetches and MX probes, driven without sockets or a
/// clock: each step feeds the machine an event and checks the actions it returns
/// (docs/architecture.md, "Politeness").
@Suite("admission machine")
struct AdmissionMachineTests {
    /// A request as the machine sees it: a name, an address, and whether its caller waits.
    final class Request: CustomStringConvertible {
        let name: String
        let address: String
        var live = true
        var startedNs: UInt64 = 0
        var stalled = false
        init(_ name: String, _ address: String) { self.name = name; self.address = address }
        var description: String { name }
    }

    typealias Machine = AdmissionMachine<Request>
    private static let ms: UInt64 = 1_000_000

    private func machine(perIP: Int = 1, maxOpen: Int = 4, maxRunning: Int = 8, maxStalled: Int = 8,
                         rate: Double? = nil, remembers: Bool = true) -> Machine {
        Machine(limits: .init(address: .init(perIP: perIP, maxOpen: maxOpen, stallCeilingNs: 1000 * Self.ms,
                                             connectionsPerSecond: rate),
                              maxRunning: maxRunning, maxStalled: maxStalled, remembersAddresses: remembers),
                isLive: { $0.live })
    }

    /// The actions as text: "start a", "drop b", "stall c".
    private func names(_ actions: [Machine.Action]) -> [String] {
        actions.map {
            switch $0 {
            case .start(let request): "start \(request)"
            case .drop(let request): "drop \(request)"
            case .stall(let request): "stall \(request)"
            }
        }
    }

    private func running(_ requests: [Request]) -> [Machine.RunningItem] {
        requests.map { .init(item: $0, address: $0.address, startedNs: $0.startedNs, stalled: $0.stalled) }
    }

    @Test("per address at most perIP start; the next starts in order when one ends")
    func perAddressOrder() {
        var machine = machine(perIP: 2)
        let requests = ["a", "b", "c", "d"].map { Request($0, "192.0.2.1") }
        for request in requests { machine.submit(request, address: request.address, nowNs: 0) }
        #expect(names(machine.pump(nowNs: 0)) == ["start a", "start b"])
        #expect(names(machine.pump(nowNs: 0)).isEmpty)
        #expect(machine.ended(address: "192.0.2.1", wasStalled: false, durationNs: 5 * Self.ms, nowNs: 5 * Self.ms).isEmpty)
        #expect(names(machine.pump(nowNs: 5 * Self.ms)) == ["start c"])
        #expect(machine.running == 2)
    }

    @Test("the global cap holds admitted items in ready, in submission order across addresses")
    func globalCap() {
        var machine = machine(perIP: 4, maxRunning: 2)
        let requests = [Request("a", "192.0.2.1"), Request("b", "192.0.2.2"), Request("c", "192.0.2.3")]
        for request in requests { machine.submit(request, address: request.address, nowNs: 0) }
        #expect(names(machine.pump(nowNs: 0)) == ["start a", "start b"])
        _ = machine.ended(address: "192.0.2.2", wasStalled: false, durationNs: Self.ms, nowNs: Self.ms)
        #expect(names(machine.pump(nowNs: Self.ms)) == ["start c"])
        #expect(machine.activeAddresses == 2) // 192.0.2.2 went idle and is gone
    }

    @Test("an item whose caller left is dropped, not started, and frees its slot")
    func dropsDeadCallers() {
        var machine = machine(perIP: 1)
        let a = Request("a", "192.0.2.1"), b = Request("b", "192.0.2.1"), c = Request("c", "192.0.2.1")
        for request in [a, b, c] { machine.submit(request, address: request.address, nowNs: 0) }
        a.live = false
        // a was admitted (ready): dropped at pump, and its slot passes to b.
        #expect(names(machine.pump(nowNs: 0)) == ["drop a", "start b"])
        c.live = false
        // c waits in the address's FIFO: dropped when b's end reaches it.
        #expect(names(machine.ended(address: "192.0.2.1", wasStalled: false, durationNs: Self.ms, nowNs: Self.ms)) == ["drop c"])
        #expect(names(machine.pump(nowNs: Self.ms)).isEmpty)
        #expect(machine.running == 0 && machine.activeAddresses == 0)
    }

    @Test("a hung item stalls after the ceiling and lets the next one start, up to maxOpen")
    func stalls() {
        var machine = machine(perIP: 1, maxOpen: 2)
        let requests = ["a", "b", "c"].map { Request($0, "192.0.2.1") }
        for request in requests { machine.submit(request, address: request.address, nowNs: 0) }
        #expect(names(machine.pump(nowNs: 0)) == ["start a"])
        // Before the stall time (the 1 s ceiling: no item has ended yet) nothing moves.
        #expect(names(machine.tick(nowNs: 900 * Self.ms, running: running([requests[0]]))).isEmpty)
        #expect(names(machine.tick(nowNs: 1001 * Self.ms, running: running([requests[0]]))) == ["stall a"])
        requests[0].stalled = true
        #expect(machine.running == 0 && machine.stalledRunning == 1)
        #expect(names(machine.pump(nowNs: 1001 * Self.ms)) == ["start b"])
        requests[1].startedNs = 1001 * Self.ms
        // b stalls too: two open is maxOpen, so c waits until something ends.
        #expect(names(machine.tick(nowNs: 2002 * Self.ms, running: running(Array(requests[0...1])))) == ["stall b"])
        requests[1].stalled = true
        #expect(names(machine.pump(nowNs: 2002 * Self.ms)).isEmpty)
        _ = machine.ended(address: "192.0.2.1", wasStalled: true, durationNs: 2500 * Self.ms, nowNs: 2500 * Self.ms)
        #expect(names(machine.pump(nowNs: 2500 * Self.ms)) == ["start c"])
        #expect(machine.stalledRunning == 1)
    }

    @Test("at most maxStalled stall at once; the others keep their slots")
    func stallCap() {
        var machine = machine(perIP: 4, maxStalled: 1)
        let requests = ["a", "b"].map { Request($0, "192.0.2.1") }
        for request in requests { machine.submit(request, address: request.address, nowNs: 0) }
        #expect(names(machine.pump(nowNs: 0)) == ["start a", "start b"])
        #expect(names(machine.tick(nowNs: 2000 * Self.ms, running: running(requests))) == ["stall a"])
        #expect(machine.running == 1 && machine.stalledRunning == 1)
    }

    @Test("an address remembers its typical time between bursts only when asked to")
    func memory() {
        for remembers in [true, false] {
            var machine = machine(perIP: 1, remembers: remembers)
            let first = Request("a", "192.0.2.1")
            machine.submit(first, address: first.address, nowNs: 0)
            _ = machine.pump(nowNs: 0)
            _ = machine.ended(address: first.address, wasStalled: false, durationNs: 10 * Self.ms, nowNs: 10 * Self.ms)
            #expect(machine.activeAddresses == 0)
            // A new burst: 8 x 10 ms typical is below the 200 ms floor, so it stalls at 200 ms
            // when remembered; otherwise at the 1 s ceiling.
            let second = Request("b", "192.0.2.1")
            second.startedNs = 20 * Self.ms
            machine.submit(second, address: second.address, nowNs: 20 * Self.ms)
            _ = machine.pump(nowNs: 20 * Self.ms)
            let actions = names(machine.tick(nowNs: 300 * Self.ms, running: running([second])))
            #expect(actions == (remembers ? ["stall b"] : []), "remembers: \(remembers)")
        }
    }

    @Test("a connection rate holds items although slots are free; the tick lets them through")
    func rate() {
        var machine = machine(perIP: 2, maxOpen: 8, rate: 10) // burst 2, then one per 100 ms
        let requests = ["a", "b", "c"].map { Request($0, "192.0.2.1") }
        for request in requests { machine.submit(request, address: request.address, nowNs: 1) }
        #expect(names(machine.pump(nowNs: 1)) == ["start a", "start b"])
        _ = machine.ended(address: "192.0.2.1", wasStalled: false, durationNs: Self.ms, nowNs: 2 * Self.ms)
        #expect(names(machine.pump(nowNs: 2 * Self.ms)).isEmpty) // a slot is free, no token yet
        #expect(names(machine.tick(nowNs: 50 * Self.ms, running: running([requests[1]]))).isEmpty)
        _ = machine.tick(nowNs: 120 * Self.ms, running: running([requests[1]]))
        #expect(names(machine.pump(nowNs: 120 * Self.ms)) == ["start c"])
    }

    @Test("shutdown takes every item not started, ready or waiting")
    func removeWaiting() {
        var machine = machine(perIP: 1, maxRunning: 1)
        let requests = [Request("a", "192.0.2.1"), Request("b", "192.0.2.1"), Request("c", "192.0.2.2")]
        for request in requests { machine.submit(request, address: request.address, nowNs: 0) }
        #expect(names(machine.pump(nowNs: 0)) == ["start a"])
        #expect(machine.removeWaiting().map(\.name).sorted() == ["b", "c"])
        #expect(names(machine.pump(nowNs: 0)).isEmpty)
    }
}
