import Foundation
import Testing
import STSCore
@testable import STSEngine

/// Issue 13: faults of one lookup or transfer must not leak into others. Servers on
/// 127.0.63.x (this suite's block).
@Suite("engine transport faults", .serialized)
struct TransportFaultTests {
    static let tcpDNS = "127.0.63.3"
    static let tlsServer = "127.0.63.1"
    static let refused = "127.0.63.2"

    /// The resolver closes its TCP connection with queries waiting on it (c-ares 1.18 then
    /// fails them all, even with one try): they are asked again and answered. A TC=1 answer
    /// over TCP with no records is an error, not "no record".
    @Test func lookupsSurviveAClosedTCPConnectionAndTruncationIsAnError() async throws {
        let server = try TCPFallbackDNSServer(address: Self.tcpDNS, closeFirstAfter: 5)
        defer { server.stop() }
        var configuration = EngineConfiguration()
        configuration.resolvers = ["\(Self.tcpDNS):53"]
        configuration.dnsTimeoutMs = 2000
        configuration.dnsTries = 1
        configuration.dnsChannels = 1
        let engine = try Engine(configuration: configuration)
        defer { engine.shutdown() }

        let lookups = (0..<30).map { DNSLookup("good\($0).fake", .txt) } + [DNSLookup("tc.fake", .txt)]
        let answers = await engine.resolve(lookups)
        let failed = zip(lookups, answers).dropLast().filter { $0.1.status != .ok }
        #expect(failed.isEmpty, "\(failed.count) good lookups failed: \(failed.prefix(3).map { "\($0.0.name): \($0.1.status)" })")
        #expect(answers.dropLast().allSatisfy { $0.txt == [Array("ok".utf8)] })
        #expect(server.connectionCount >= 2, "the first connection was closed under waiting queries")
        guard case .error(let message) = answers.last!.status else {
            Issue.record("TC=1 over TCP must be an error, got \(answers.last!.status)"); return
        }
        #expect(message.contains("truncated"))
    }

    /// One reused curl handle (`--max-fetches 1`): a certificate failure, then a refused
    /// connection. The refusal's detail must not carry the previous transfer's verify result.
    @Test func failedConnectCarriesNoPreviousVerifyResult() async throws {
        let directory = try TestSupport.directory("transport-faults-tls")
        try TestSupport.shell("""
            cd \(directory)
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem \
                -days 30 -subj "/CN=mta-sts.selfsigned.test" -addext "subjectAltName=DNS:mta-sts.selfsigned.test" 2>/dev/null
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
                -days 30 -subj "/CN=unrelated test CA" 2>/dev/null
            """)
        let server = try ServerProcess(name: "openssl", executable: "/usr/bin/openssl",
                                       arguments: ["s_server", "-accept", "\(Self.tlsServer):443", "-cert", "\(directory)/cert.pem",
                                                   "-key", "\(directory)/key.pem", "-www", "-quiet"],
                                       log: "\(directory)/s_server.log")
        defer { server.stop() }
        try TestSupport.waitForTCP(Self.tlsServer, 443)
        var configuration = EngineConfiguration()
        configuration.resolvers = ["127.0.63.9"]  // unused: no DNS query is sent
        configuration.caFile = "\(directory)/ca.pem"
        configuration.maxFetches = 1
        configuration.fetchTimeoutMs = 3000
        configuration.connectTimeoutMs = 2000
        let engine = try Engine(configuration: configuration)
        defer { engine.shutdown() }

        let untrusted = await engine.fetchPolicy(host: "mta-sts.selfsigned.test", address: Self.tlsServer)
        guard case .failure(_, let detail) = untrusted.outcome else { Issue.record("\(untrusted.outcome)"); return }
        #expect(untrusted.outcome.findingCode == .certUntrusted)
        #expect(detail.contains("X509 verify result"), "the certificate failure states its verify result: \(detail)")

        let refused = await engine.fetchPolicy(host: "mta-sts.other.test", address: Self.refused)
        guard case .failure(_, let refusedDetail) = refused.outcome else { Issue.record("\(refused.outcome)"); return }
        #expect(refused.outcome.findingCode == .connectRefused)
        #expect(!refusedDetail.contains("X509"), "stale verify result in: \(refusedDetail)")
        #expect(engine.statistics.fetchesStarted == 2)
    }

    /// The interpretation alone: a truncated message is an error whatever it carries.
    @Test func truncatedMessagesAreErrors() throws {
        for answers in [0, 1] {
            var wire = DNSWireBuilder(truncated: true, an: answers)
            wire.question("a.fake", type: 16)
            if answers == 1 { wire.record("a.fake", type: 16, rdata: DNSWireBuilder.txt(["v=STSv1; id=1"])) }
            let message = try DNSMessage(parsing: wire.bytes)
            guard case .answer(let answer) = DNSInterpretation.interpret(message, name: "a.fake", type: .txt),
                  case .error(let text) = answer.status else {
                Issue.record("a TC=1 answer with \(answers) records must be an error"); continue
            }
            #expect(text.contains("TC=1"))
        }
    }
}
