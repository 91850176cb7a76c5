import Foundation
import Testing
import STSCore
@testable import STSEngine

/// Hung hosts behind a shared address cost their own timeout, not everyone else's
/// (`AddressSlots`): an nginx on 127.0.62.20 where `slow.site.test` never answers.
@Suite("engine: hanging hosts behind one address", .serialized)
struct HangingHostTests {
    static let address = "127.0.62.20"
    static let plain = "127.0.62.22"

    private func engine(_ nginx: NginxFixture, adjust: (inout EngineConfiguration) -> Void) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.resolvers = ["127.0.62.1"] // unused: no DNS query is sent
        configuration.caFile = nginx.caFile
        configuration.fetchTimeoutMs = 4000
        configuration.connectTimeoutMs = 2000
        configuration.perIP = 2
        adjust(&configuration)
        return try Engine(configuration: configuration)
    }

    /// Starts `hung` fetches of the never-answering host, then `good` ordinary ones once
    /// the hung ones hold the slots; returns the seconds until the last good one ended and
    /// the hung ones' results.
    private func race(_ engine: Engine, hung: Int, good: Int) async -> (goodSeconds: Double, hung: [FetchResult]) {
        // Warm-up: a typical fetch time for the address, and the CA store loaded.
        for _ in 0..<3 { _ = await engine.fetchPolicy(host: "good.site.test", address: Self.address) }
        let hungTasks = (0..<hung).map { _ in
            Task { await engine.fetchPolicy(host: "slow.site.test", address: Self.address) }
        }
        try? await Task.sleep(for: .milliseconds(100))
        let started = Date()
        let ok = await withTaskGroup(of: Bool.self, returning: Int.self) { group in
            for _ in 0..<good {
                group.addTask {
                    let result = await engine.fetchPolicy(host: "good.site.test", address: Self.address)
                    if case .response(200, _, _, _) = result.outcome { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(ok == good)
        var results: [FetchResult] = []
        for task in hungTasks { results.append(await task.value) }
        return (seconds, results)
    }

    @Test("hung fetches stall and free their slots: the others do not wait for their timeout")
    func hungFetchesDoNotBlockTheAddress() async throws {
        let nginx = try NginxFixture(name: "hanging-hosts", address: Self.address, plainAddress: Self.plain)
        defer { nginx.stop() }
        let engine = try engine(nginx) { _ in }
        defer { engine.shutdown() }
        let (seconds, hung) = await race(engine, hung: 4, good: 20)
        // Without the stall rule the 20 wait for the 4 s timeouts of both slots' holders.
        #expect(seconds < 3, "good fetches waited \(seconds) s behind hung ones")
        for result in hung {
            guard result.outcome.findingCode == .fetchTimeout else { Issue.record("\(result.outcome)"); continue }
            #expect(result.elapsedMs >= 3900, "a stalled fetch still runs to its own timeout")
        }
        #expect(engine.statistics.fetchesStalled >= 4)
        #expect(engine.statistics.inFlight == 0)
    }

    @Test("the per-address cap holds: hung fetches beyond it keep the others waiting")
    func capOnOpenConnections() async throws {
        let nginx = try NginxFixture(name: "hanging-cap", address: Self.address, plainAddress: Self.plain)
        defer { nginx.stop() }
        // perIP 2, at most 3 open: three hung fetches fill the cap until they time out.
        let engine = try engine(nginx) { $0.perIPMaxOpen = 3 }
        defer { engine.shutdown() }
        let (seconds, hung) = await race(engine, hung: 3, good: 5)
        #expect(seconds > 3.3, "the cap of 3 open connections did not hold (\(seconds) s)")
        #expect(hung.allSatisfy { $0.outcome.findingCode == .fetchTimeout })
    }

    @Test("stalled fetches free global slots too, up to maxStalledFetches")
    func stalledFetchesFreeGlobalSlots() async throws {
        let nginx = try NginxFixture(name: "hanging-global", address: Self.address, plainAddress: Self.plain)
        defer { nginx.stop() }
        // Two global slots, both taken by hung fetches: without the rule nothing else runs
        // for 4 s; with it they stall and the rest go on.
        let engine = try engine(nginx) { $0.maxFetches = 2; $0.perIP = 4 }
        defer { engine.shutdown() }
        let (seconds, _) = await race(engine, hung: 2, good: 10)
        #expect(seconds < 3, "\(seconds) s")
        let capped = try self.engine(nginx) { $0.maxFetches = 2; $0.perIP = 4; $0.maxStalledFetches = 0 }
        defer { capped.shutdown() }
        let (cappedSeconds, _) = await race(capped, hung: 2, good: 4)
        #expect(cappedSeconds > 3.3, "with no room for stalled fetches they keep their slots (\(cappedSeconds) s)")
    }

    @Test("the per-address connection rate holds even with free slots")
    func connectionRate() async throws {
        let nginx = try NginxFixture(name: "hanging-rate", address: Self.address, plainAddress: Self.plain)
        defer { nginx.stop() }
        // 5 new connections per second after a burst of perIP (4): 10 fetches need 6 more
        // tokens, 1.2 s, although each fetch takes milliseconds and frees its slot at once.
        let engine = try engine(nginx) { $0.perIP = 4; $0.perIPConnectionsPerSecond = 5 }
        defer { engine.shutdown() }
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let result = await engine.fetchPolicy(host: "good.site.test", address: Self.address)
                    guard case .response(200, _, _, _) = result.outcome else { Issue.record("\(result.outcome)"); return }
                }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds >= 1.1 && seconds < 4, "\(seconds) s")
    }
}
