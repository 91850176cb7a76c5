import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import STSEngine

/// The engine's lifetime: `Engine.run` stops the engine when its body ends, however it ends,
/// and every request still pending then resumes with a failure. The resolver is a UDP socket
/// that takes queries and never answers (no ICMP refusal either).
@Suite("engine lifetime", .serialized)
final class EngineLifetimeTests {
    struct Planned: Error {}
    private static let silent = "127.0.61.249"
    private static let silentPort: UInt16 = 5399
    private let fd: Int32

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = Self.silentPort.bigEndian
        inet_pton(AF_INET, Self.silent, &sin.sin_addr)
        let bound = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw TestFailure("bind silent resolver: errno \(errno)") }
    }

    deinit { close(fd) }

    private var configuration: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.resolvers = ["\(Self.silent):\(Self.silentPort)"]
        configuration.dnsTimeoutMs = 5000 // far longer than the test: only the stop can end a lookup
        configuration.dnsTries = 1
        configuration.dnsRequeries = 0
        return configuration
    }

    private func isShutDown(_ answer: DNSAnswer) -> Bool {
        if case .error(let reason) = answer.status { return reason.contains("engine shut down") }
        return false
    }

    @Test("run returns the body's value, then the engine refuses work at once")
    func runStopsAfterBody() async throws {
        var kept: Engine?
        let value = try await Engine.run(configuration: configuration) { engine in
            kept = engine
            return 42
        }
        #expect(value == 42)
        let started = ContinuousClock.now
        let answer = try #require(await kept?.resolve("a.test", .txt))
        #expect(isShutDown(answer), "\(answer)")
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test("a throwing body still stops the engine, and the error comes through")
    func runStopsOnError() async throws {
        var kept: Engine?
        await #expect(throws: Planned.self) {
            try await Engine.run(configuration: configuration) { engine in
                kept = engine
                throw Planned()
            }
        }
        let answer = try #require(await kept?.resolve("a.test", .txt))
        #expect(isShutDown(answer), "\(answer)")
    }

    @Test("a lookup pending when the body ends resumes with a failure, not after its timeout")
    func pendingRequestsFail() async throws {
        let started = ContinuousClock.now
        let pending = try await Engine.run(configuration: configuration) { engine in
            let task = Task { await engine.resolve("pending.test", .mx) }
            try await Task.sleep(for: .milliseconds(50)) // let it reach the loop (either way it must fail)
            return task
        }
        let answer = await pending.value
        #expect(isShutDown(answer), "\(answer)")
        #expect(ContinuousClock.now - started < .seconds(3), "waited for the 5 s DNS timeout")
    }

    @Test("stop twice, then shutdown and drop: no double close, no crash")
    func repeatedStops() async throws {
        let engine = try Engine(configuration: configuration)
        await engine.stop()
        await engine.stop()
        engine.shutdown()
        #expect(isShutDown(await engine.resolve("late.test", .txt)))
        // An engine dropped without a stop ends its loop in the background.
        _ = try Engine(configuration: configuration)
    }
}
