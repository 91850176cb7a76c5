import Foundation
import STSCore
import STSEngine
@testable import STSScanner

/// A `ProbeEngine` that answers from a script, so probe decisions are tested without
/// sockets. Unscripted lookups answer NXDOMAIN; unscripted fetches fail loudly.
struct ScriptedEngine: ProbeEngine {
    var answers: [String: DNSAnswer] = [:]
    var fetches: [String: FetchOutcome] = [:]
    /// STARTTLS outcomes on the wire by MX host; unscripted hosts fail (mx-probe-error).
    var smtp: [String: SMTPProbeOutcome] = [:]
    /// OpenSSL's verdict on a host's certificate after a completed handshake (0, valid, by default).
    var verifyResults: [String: Int] = [:]
    /// Counts STARTTLS probes (shared by copies of the engine).
    let smtpProbes = ProbeCounter()
    /// Counts DNS lookups as "TYPE name" (shared by copies of the engine).
    var lookups = ProbeCounter()
    /// Every lookup fails as with a resolver where nothing listens.
    var failEverything = false
    /// Outcomes by address, before those by host (a host whose addresses differ).
    var smtpByAddress: [String: SMTPProbeOutcome] = [:]
    var fetchesByAddress: [String: FetchOutcome] = [:]
    /// IPv6 addresses this "machine" has a route to (every IPv4 address has one).
    var ipv6Routes: Set<String> = []
    /// Addresses STARTTLS probes connected to, in order.
    let connected = ProbeCounter()
    /// Addresses policy fetches connected to, in order.
    let fetched = ProbeCounter()

    func hasRoute(to address: String) -> Bool { !address.contains(":") || ipv6Routes.contains(address) }

    static func key(_ name: String, _ type: DNSType) -> String { "\(type) \(name)" }

    mutating func set(_ name: String, _ type: DNSType, _ answer: DNSAnswer) { answers[Self.key(name, type)] = answer }

    func resolve(_ lookups: [DNSLookup]) async -> [DNSAnswer] {
        for lookup in lookups { self.lookups.add(Self.key(lookup.name, lookup.type)) }
        if failEverything { return lookups.map { _ in .make(.error("Connection refused")) } }
        return lookups.map { answers[Self.key($0.name, $0.type)] ?? .make(.nxdomain) }
    }

    func fetchPolicy(host: String, address: String, port: Int) async -> FetchResult {
        fetched.add(address)
        return FetchResult(outcome: fetchesByAddress[address] ?? fetches[host] ?? .failure(.other, detail: "unscripted fetch of \(host)"),
                           address: address, elapsedMs: 1)
    }

    func probeSMTP(host: String, address: String, port: Int, ehloName: String) async -> SMTPProbeResult {
        smtpProbes.add(host)
        connected.add(address)
        try? await Task.sleep(for: .milliseconds(5)) // so concurrent domains overlap
        var tls = MXTLSFacts()
        tls.dnsNames = [host]
        tls.version = "TLSv1.3"
        tls.notAfter = "2020-06-01T00:00:00Z"
        tls.verifyResult = verifyResults[host] ?? 0
        let outcome = smtpByAddress[address] ?? smtp[host] ?? .failure(.other, detail: "unscripted probe of \(host)")
        return SMTPProbeResult(host: host, outcome: outcome, address: address, tls: outcome == .handshakeCompleted ? tls : nil,
                               greeting: "220 \(host) ESMTP", elapsedMs: 2)
    }
}

/// Hosts probed, in order (thread-safe; shared by copies of a `ScriptedEngine`).
final class ProbeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: [String] = []
    func add(_ host: String) { lock.lock(); hosts.append(host); lock.unlock() }
    var probed: [String] { lock.lock(); defer { lock.unlock() }; return hosts }
}

extension DNSAnswer {
    static func make(_ status: DNSStatus, txt: [String] = [], mx: [(Int, String)] = [], addresses: [String] = [],
                     cnames: [String] = []) -> DNSAnswer {
        DNSAnswer(status: status, cnameChain: cnames, txt: txt.map { Array($0.utf8) },
                  mx: mx.map { MXRecord(preference: $0.0, host: $0.1) }, addresses: addresses)
    }
}

/// A small world around `example.com` with a working enforce deployment, to mutate per test.
func workingDeployment(policy: String = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n")
    -> ScriptedEngine {
    var engine = ScriptedEngine()
    engine.set("example.com", .mx, .make(.ok, mx: [(10, "mail.example.com.")]))
    engine.set("_mta-sts.example.com", .txt, .make(.ok, txt: ["v=STSv1; id=20240101"]))
    engine.set("_smtp._tls.example.com", .txt, .make(.ok, txt: ["v=TLSRPTv1; rua=mailto:tls@example.com"]))
    engine.set("mta-sts.example.com", .a, .make(.ok, addresses: ["192.0.2.1"]))
    engine.fetches["mta-sts.example.com"] = .response(status: 200, contentType: "text/plain; charset=utf-8",
                                                       location: nil, body: Array(policy.utf8))
    return engine
}
