import Foundation
import Testing
@testable import STSEngine

/// The engine against real servers on loopback: NSD, a scripted fake server, a black hole.
@Suite("engine DNS against NSD", .serialized)
struct DNSIntegrationTests {
    private func engine(_ resolver: String, timeoutMs: Int = 1000, tries: Int = 2,
                        adjust: (inout EngineConfiguration) -> Void = { _ in }) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.resolvers = [resolver]
        configuration.dnsTimeoutMs = timeoutMs
        configuration.dnsTries = tries
        adjust(&configuration)
        return try Engine(configuration: configuration)
    }

    private func text(_ bytes: [[UInt8]]) -> [String] { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test("every DNS outcome against NSD", .enabled(if: InstalledServers.nsd, InstalledServers.needNSD))
    func outcomes() async throws {
        let nsd = try NSDFixture(name: "dns-outcomes")
        defer { nsd.stop() }
        let engine = try engine("\(TestAddresses.nsd):53")
        defer { engine.shutdown() }

        let txt = await engine.resolve("TXT1.Test.", .txt)
        #expect(txt.status == .ok)
        #expect(text(txt.txt) == ["v=STSv1; id=20240101;"])
        #expect(txt.cnameChain.isEmpty)

        #expect(text(await engine.resolve("multi.test", .txt).txt) == ["part one part two"])
        #expect(Set(text(await engine.resolve("two.test", .txt).txt)) == ["first", "second"])

        let mx = await engine.resolve("mx1.test", .mx)
        #expect(mx.status == .ok)
        #expect(Set(mx.mx.map { "\($0.preference) \($0.host)" }) == ["10 mail1.test", "20 mail2.test"])
        #expect(await engine.resolve("nullmx.test", .mx).mx == [MXRecord(preference: 0, host: "")])

        #expect(Set(await engine.resolve("host.test", .a).addresses) == ["127.0.61.10", "127.0.61.11"])
        #expect(await engine.resolve("host.test", .aaaa).addresses == ["2001:db8::10"])

        let alias = await engine.resolve("alias.test", .txt)
        #expect(alias.status == .ok)
        #expect(alias.cnameChain == ["txt1.test"])
        #expect(text(alias.txt) == ["v=STSv1; id=20240101;"])
        let alias2 = await engine.resolve("alias2.test", .txt)
        #expect(alias2.cnameChain == ["alias.test", "txt1.test"])
        #expect(alias2.status == .ok)

        let hostAlias = await engine.resolve("hostalias.test", .txt)
        #expect(hostAlias.status == .nodata)
        #expect(hostAlias.cnameChain == ["host.test"])

        let nx = await engine.resolve("missing.test", .txt)
        #expect(nx.status == .nxdomain)
        let dangling = await engine.resolve("dangling.test", .txt)
        #expect(dangling.status == .nxdomain)
        #expect(dangling.cnameChain == ["nothere.test"])
        #expect(await engine.resolve("host.test", .txt).status == .nodata)
        #expect(await engine.resolve("x.broken", .txt).status == .servfail)
        #expect(await engine.resolve("example.com", .txt).status == .refused)

        let loop = await engine.resolve("loop1.test", .txt)
        #expect(loop.status == .error("CNAME loop"))

        // Out of NSD's zones: the CNAME is chased with a new query, which NSD refuses.
        let outside = await engine.resolve("outside.test", .txt)
        #expect(outside.status == .refused)
        #expect(outside.cnameChain == ["name.example"])

        #expect(await engine.resolve("a..b", .txt).status == .error("invalid name"))

        // A TXT RRset above the EDNS size: truncated over UDP, complete over TCP.
        let big = await engine.resolve("big.test", .txt)
        #expect(big.status == .ok)
        #expect(big.txt.count == NSDFixture.bigRecords)
        #expect(big.txt.map(\.count).reduce(0, +) > 1232)

        let statistics = engine.statistics
        #expect(statistics.dnsQueriesSent == 19) // 18 names + 1 chase; the invalid name is never sent
        #expect(statistics.dnsCNAMEChases == 1)
        #expect(statistics.dnsTimeouts == 0)
    }

    @Test("CNAMEs answered alone are chased, loops and long chains across messages stopped")
    func chases() async throws {
        let fake = try FakeDNSServer(address: TestAddresses.fakeDNS)
        defer { fake.stop() }
        let engine = try engine(TestAddresses.fakeDNS)
        defer { engine.shutdown() }

        let chased = await engine.resolve("hop1.fake", .txt)
        #expect(chased.status == .ok)
        #expect(chased.cnameChain == ["hop2.fake", "final.fake"])
        #expect(text(chased.txt) == ["done"])

        let loop = await engine.resolve("loopa.fake", .txt)
        #expect(loop.status == .error("CNAME loop"))
        #expect(loop.cnameChain == ["loopb.fake", "loopa.fake"])

        let long = await engine.resolve("chain0.fake", .txt)
        #expect(long.status == .error("CNAME chain too long"))
        #expect(long.cnameChain.count == DNSDriver.maxChases + 1)

        let seven = await engine.resolve("chain5.fake", .txt) // 7 hops: within the limit
        #expect(seven.status == .ok)
        #expect(seven.cnameChain.last == "chain12.fake")

        guard case .error(let reason) = await engine.resolve("garbage.fake", .txt).status else {
            Issue.record("a broken message must be an error"); return
        }
        #expect(reason.hasPrefix("malformed answer"))
        #expect(await engine.resolve("servfail.fake", .txt).status == .servfail)
    }

    @Test("several channels spread queries over several source ports")
    func channels() async throws {
        // Unanswered queries keep every channel's socket open (c-ares closes idle ones), so
        // the number of source ports seen is the number of channels used.
        for channels in [1, 3] {
            let fake = try FakeDNSServer(address: TestAddresses.fakeDNS)
            defer { fake.stop() }
            let engine = try engine(TestAddresses.fakeDNS, timeoutMs: 500, tries: 1) {
                $0.dnsChannels = channels
                $0.dnsRequeries = 0  // a requery would come from a new socket
            }
            defer { engine.shutdown() }
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<30 { group.addTask { #expect(await engine.resolve("silent.fake", .txt).status == .timeout) } }
            }
            #expect(fake.sourcePorts.count == channels)
        }
    }

    @Test("a server that never answers: timeout after the configured tries")
    func timeout() async throws {
        let hole = try BlackholeUDP(address: TestAddresses.blackhole)
        defer { hole.close() }
        let engine = try engine("\(TestAddresses.blackhole):53", timeoutMs: 200, tries: 2) { $0.dnsRequeries = 0 }
        defer { engine.shutdown() }
        let started = Date()
        let answer = await engine.resolve("anything.test", .txt)
        let elapsed = Date().timeIntervalSince(started)
        #expect(answer.status == .timeout)
        #expect(elapsed >= 0.35 && elapsed < 2.0, "took \(elapsed) s")
        try await Task.sleep(nanoseconds: 100_000_000)
        let statistics = engine.statistics
        #expect(statistics.dnsTimeouts == 1)
        #expect(statistics.dnsRetries == 1)
        #expect(statistics.dnsRequeries == 0)
    }

    @Test("the window's round trip is the resolver's: from the send to the datagram's arrival")
    func roundTrip() async throws {
        let fake = try FakeDNSServer(address: TestAddresses.fakeDNS)
        defer { fake.stop() }
        let engine = try engine(TestAddresses.fakeDNS)
        defer { engine.shutdown() }
        #expect(await engine.resolve("slow.fake", .txt).status == .ok)
        try await Task.sleep(nanoseconds: 100_000_000)  // a tick publishes the window's figures
        let base = engine.statistics.dnsBaseRttUs
        #expect(base >= 60_000 && base < 1_000_000, "\(base) us")
    }

    @Test("a lookup whose tries were all lost is asked again before it is called a timeout")
    func requery() async throws {
        // The fake server leaves the first two queries of every lossy*.fake name unanswered,
        // as an overloaded path drops them: with 2 tries the first round times out.
        let fake = try FakeDNSServer(address: TestAddresses.fakeDNS, dropped: 2)
        defer { fake.stop() }
        let engine = try engine(TestAddresses.fakeDNS, timeoutMs: 150, tries: 2)  // dnsRequeries: 1, the default
        defer { engine.shutdown() }
        let answers = await withTaskGroup(of: DNSAnswer.self, returning: [DNSAnswer].self) { group in
            for index in 0..<5 { group.addTask { await engine.resolve("lossy\(index).fake", .txt) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0.status == .ok && text($0.txt) == ["late"] })
        // A name nobody answers costs its tries once more, then is a timeout.
        let started = Date()
        #expect(await engine.resolve("silent.fake", .txt).status == .timeout)
        #expect(Date().timeIntervalSince(started) >= 0.8, "two rounds of 150 + 300 ms")
        try await Task.sleep(nanoseconds: 100_000_000)
        let statistics = engine.statistics
        #expect(statistics.dnsRequeries == 6)
        #expect(statistics.dnsRequeriesAnswered == 5)
        #expect(statistics.dnsTimeouts == 1)

        let strict = try self.engine(TestAddresses.fakeDNS, timeoutMs: 150, tries: 2) { $0.dnsRequeries = 0 }
        defer { strict.shutdown() }
        #expect(await strict.resolve("lossy-strict.fake", .txt).status == .timeout, "without requeries the load's loss is recorded")
    }

    @Test("20,000 concurrent queries each complete exactly once with their own answer", .enabled(if: InstalledServers.nsd, InstalledServers.needNSD))
    func manyConcurrent() async throws {
        let nsd = try NSDFixture(name: "dns-many")
        defer { nsd.stop() }
        let engine = try engine("\(TestAddresses.nsd):53", timeoutMs: 2000, tries: 3)
        defer { engine.shutdown() }
        let count = NSDFixture.manyNames
        let cpuBefore = TestSupport.cpuMs()
        let started = Date()
        let answers = await withTaskGroup(of: (Int, DNSAnswer).self) { group in
            for index in 0..<count {
                group.addTask { (index, await engine.resolve("n\(index).many.test", .txt)) }
            }
            var answers = [DNSAnswer?](repeating: nil, count: count)
            var completions = 0
            for await (index, answer) in group {
                #expect(answers[index] == nil, "answered twice: \(index)")
                answers[index] = answer
                completions += 1
            }
            #expect(completions == count)
            return answers
        }
        let seconds = Date().timeIntervalSince(started)
        let cpu = TestSupport.cpuMs() - cpuBefore
        var wrong = 0
        for (index, answer) in answers.enumerated() {
            if answer?.status != .ok || answer.map({ text($0.txt) }) != ["\(index)"] { wrong += 1 }
        }
        #expect(wrong == 0)
        let statistics = engine.statistics
        #expect(statistics.inFlight == 0)
        #expect(statistics.resolvesCompleted == count)
        print("[engine] DNS: \(count) queries in \(String(format: "%.3f", seconds)) s = \(Int(Double(count) / seconds)) queries/s, CPU \(Int(cpu)) ms (\(String(format: "%.1f", cpu * 1000 / Double(count))) us/query), retries \(statistics.dnsRetries), timeouts \(statistics.dnsTimeouts), loop wake-ups \(statistics.loopIterations)")
    }

    @Test("the query rate limit holds", .enabled(if: InstalledServers.nsd, InstalledServers.needNSD))
    func rateLimit() async throws {
        let nsd = try NSDFixture(name: "dns-rate")
        defer { nsd.stop() }
        let engine = try engine("\(TestAddresses.nsd):53") { $0.maxQueriesPerSecond = 200 }
        defer { engine.shutdown() }
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask { #expect(await engine.resolve("n\(index).many.test", .txt).status == .ok) }
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        // 100 queries at 200/s with a 5-token burst: about 0.475 s.
        #expect(elapsed >= 0.42 && elapsed < 3, "took \(elapsed) s")
    }

    @Test("cancellation resumes at once; shutdown fails pending and later calls")
    func cancellationAndShutdown() async throws {
        let hole = try BlackholeUDP(address: TestAddresses.blackhole)
        defer { hole.close() }
        let engine = try engine("\(TestAddresses.blackhole):53", timeoutMs: 5000, tries: 3)

        let started = Date()
        let task = Task { await engine.resolve("cancelled.test", .txt) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        #expect(await task.value.status == .error("cancelled"))
        #expect(Date().timeIntervalSince(started) < 1)

        let pending = Task {
            await withTaskGroup(of: DNSStatus.self, returning: [DNSStatus].self) { group in
                for index in 0..<500 { group.addTask { await engine.resolve("p\(index).test", .txt).status } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        let stopStarted = Date()
        engine.shutdown()
        let statuses = await pending.value
        #expect(Date().timeIntervalSince(stopStarted) < 2)
        #expect(statuses.count == 500)
        #expect(statuses.allSatisfy { $0 == .error("engine shut down") })
        #expect(await engine.resolve("after.test", .txt).status == .error("engine shut down"))
        #expect(engine.statistics.cancelled == 1)
    }

    @Test("bad resolver strings are configuration errors")
    func badResolver() {
        #expect(throws: EngineError.self) { _ = try self.engine("not an address") }
    }
}
