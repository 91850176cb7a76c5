import Foundation
import Testing
import STSCore
import STSStore
import STSEngine
@testable import STSScanner

/// The delivery verdict as the probe computes it from MX STARTTLS outcomes
/// (rfc8461-8460-rules.md §5), one probe per distinct MX host.
@Suite struct MXProbeTests {
    private let settings = MXProbeSettings(mode: .policy, ehloName: "scanner.test")

    private func twoMX(policyMX: [String] = ["mx1.example.com", "mx2.example.com"], mode: String = "enforce") -> ScriptedEngine {
        let policy = "version: STSv1\nmode: \(mode)\n" + policyMX.map { "mx: \($0)\n" }.joined() + "max_age: 604800\n"
        var engine = workingDeployment(policy: policy)
        engine.set("example.com", .mx, .make(.ok, mx: [(20, "mx2.example.com."), (10, "mx1.example.com.")]))
        engine.set("mx1.example.com", .a, .make(.ok, addresses: ["192.0.2.25"]))
        engine.set("mx2.example.com", .a, .make(.ok, addresses: ["192.0.2.26"]))
        engine.set("mx1.example.com", .aaaa, .make(.nodata))
        engine.set("mx2.example.com", .aaaa, .make(.ok, addresses: ["2001:db8::26"]))
        engine.smtp["mx1.example.com"] = .handshakeCompleted
        engine.smtp["mx2.example.com"] = .handshakeCompleted
        return engine
    }

    private func probe(_ engine: ScriptedEngine, mode: MXProbeMode = .policy) async -> DomainRecord {
        await DomainProbe(engine: engine, mxProbe: MXProbeSettings(mode: mode, ehloName: "scanner.test"))
            .probe(InputEntry(position: 0, line: 1, rank: 1, raw: "example.com")).0
    }

    @Test func everyHostPassingIsOK() async {
        let result = await probe(twoMX())
        #expect(result.delivery == .ok)
        #expect(result.primaryError == nil)
        #expect(result.mxProbes.map(\.host) == ["mx1.example.com", "mx2.example.com"])
        #expect(result.mxProbes[1].ipv6Address == "2001:db8::26")
        #expect(result.mxProbes.allSatisfy { $0.outcome == .ok && $0.tlsVersion == "TLSv1.3" })
    }

    @Test func oneExpiredHostDegrades() async {
        var engine = twoMX()
        engine.verifyResults["mx2.example.com"] = 10 // X509_V_ERR_CERT_HAS_EXPIRED
        let result = await probe(engine)
        #expect(result.delivery == .degraded)
        #expect(result.primaryError?.code == .mxCertExpired)
        #expect(result.primaryError?.detail == "mx2.example.com: not after 2020-06-01T00:00:00Z (X509 verify result 10)")
        #expect(result.findings.contains { $0.code == .deliveryDegraded })
        #expect(result.mxProbes.first { $0.host == "mx2.example.com" }?.outcome == .failure(.mxCertExpired))
    }

    @Test func uncoveredBackupDegradesEvenWithGoodTLS() async {
        let result = await probe(twoMX(policyMX: ["mx1.example.com"]))
        #expect(result.delivery == .degraded)
        #expect(result.mxCoverage == .some)
        #expect(result.primaryError == nil) // mx-partly-covered and delivery-degraded are warnings
    }

    @Test func noHostPassingFails() async {
        var engine = twoMX()
        engine.smtp["mx1.example.com"] = .failure(.startTLSNotOffered, detail: "")
        engine.smtp["mx2.example.com"] = .failure(.connect(.refused), detail: "")
        let result = await probe(engine)
        #expect(result.delivery == .fails)
        #expect(result.primaryError?.code == .mxStartTLSMissing) // preference 10 first
        #expect(result.findings.contains { $0.code == .deliveryFails })
    }

    @Test func hostsWithoutAddressesOrIPLiteralsFailWithoutAProbe() async {
        var engine = twoMX(policyMX: ["mx1.example.com", "192.0.2.30"])
        engine.set("example.com", .mx, .make(.ok, mx: [(10, "mx1.example.com."), (20, "192.0.2.30.")]))
        engine.set("mx1.example.com", .a, .make(.nodata))
        engine.set("mx1.example.com", .aaaa, .make(.nodata))
        let result = await probe(engine)
        #expect(result.delivery == .fails)
        #expect(result.findings.map(\.code).contains(.mxHostNoAddress))
        #expect(result.findings.map(\.code).contains(.mxIPLiteral))
        #expect(engine.smtpProbes.probed.isEmpty)
    }

    @Test func testingModeGetsAVerdictNoneDoesNot() async {
        var testing = twoMX(mode: "testing")
        testing.verifyResults["mx1.example.com"] = 19 // self-signed certificate in the chain
        #expect(await probe(testing).delivery == .degraded)
        let none = await probe(twoMX(mode: "none"))
        #expect(none.delivery == nil)
        #expect(none.mxProbes.isEmpty)
    }

    @Test func probingOffOrNoPolicy() async {
        #expect(await probe(twoMX(), mode: .none).mxProbes.isEmpty)
        var noPolicy = twoMX()
        noPolicy.set("_mta-sts.example.com", .txt, .make(.nxdomain))
        let plain = await probe(noPolicy)
        #expect(plain.mxProbes.isEmpty && plain.delivery == nil)
        // --mx-probe all: probed and stored, but no verdict and no findings without a policy.
        let all = await probe(noPolicy, mode: .all)
        #expect(all.mxProbes.count == 2)
        #expect(all.delivery == nil)
        #expect(!all.findings.contains { $0.stage == .mxTLS })
    }

    @Test func oneProbePerDistinctHostAcrossDomains() async {
        var engine = ScriptedEngine()
        engine.set("provider.test", .a, .make(.ok, addresses: ["192.0.2.99"]))
        engine.set("provider.test", .aaaa, .make(.nodata))
        engine.smtp["provider.test"] = .handshakeCompleted
        for index in 0..<50 {
            let d = "d\(index).test"
            engine.set(d, .mx, .make(.ok, mx: [(10, "provider.test.")]))
            engine.set("_mta-sts.\(d)", .txt, .make(.ok, txt: ["v=STSv1; id=1"]))
            engine.set("mta-sts.\(d)", .a, .make(.ok, addresses: ["192.0.2.1"]))
            engine.fetches["mta-sts.\(d)"] = .response(status: 200, contentType: "text/plain", location: nil,
                                                       body: Array("version: STSv1\nmode: enforce\nmx: provider.test\nmax_age: 86400\n".utf8))
        }
        let probe = DomainProbe(engine: engine, mxProbe: settings)
        let results = await withTaskGroup(of: DomainRecord.self) { group in
            for index in 0..<50 {
                group.addTask { await probe.probe(InputEntry(position: index, line: index + 1, rank: nil, raw: "d\(index).test")).0 }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.delivery == .ok })
        #expect(engine.smtpProbes.probed == ["provider.test"])
        #expect(results.reduce(0) { $0 + $1.mxProbes.count } == 1) // stored once, with one domain
        #expect(await probe.registry.probesRun == 1)
    }

    @Test func fingerprintOfPEM() {
        // "hello" is not a certificate, but the digest is of the decoded bytes.
        let pem = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n"
        #expect(MXHostProber.sha256OfPEM(pem) == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(MXHostProber.isAddressLiteral("192.0.2.1"))
        #expect(MXHostProber.isAddressLiteral("[192.0.2.1]"))
        #expect(MXHostProber.isAddressLiteral("2001:db8::1"))
        #expect(!MXHostProber.isAddressLiteral("mx.example.com"))
    }
}

/// Every address of an MX host, as a sender tries them (RFC 5321 §5.1: the next address
/// when the client cannot connect or the connection fails before the transaction; at most
/// three), and IPv6-only hosts (issue 20).
@Suite struct MXAddressTests {
    private func engine(a: [String], aaaa: [String] = []) -> ScriptedEngine {
        var engine = workingDeployment()
        engine.set("mail.example.com", .a, a.isEmpty ? .make(.nodata) : .make(.ok, addresses: a))
        engine.set("mail.example.com", .aaaa, aaaa.isEmpty ? .make(.nodata) : .make(.ok, addresses: aaaa))
        engine.smtp["mail.example.com"] = .handshakeCompleted
        return engine
    }

    private func probe(_ engine: ScriptedEngine) async -> DomainRecord {
        await DomainProbe(engine: engine, mxProbe: MXProbeSettings(mode: .policy, ehloName: "scanner.test"))
            .probe(InputEntry(position: 0, line: 1, rank: 1, raw: "example.com")).0
    }

    /// RFC 5321 §5.1: a refused first address moves on; the second gives the session and the verdict.
    @Test func refusedFirstAddressMovesOnToTheNext() async {
        var engine = engine(a: ["192.0.2.8", "192.0.2.9"])
        engine.smtpByAddress["192.0.2.8"] = .failure(.connect(.refused), detail: "curl 7")
        let result = await probe(engine)
        #expect(result.delivery == .ok && result.primaryError == nil)
        let record = result.mxProbes[0]
        #expect(record.address == "192.0.2.9" && record.outcome == .ok)
        #expect(AddressAttempt.text(record.attempts) == "192.0.2.8 mx-connect-refused, 192.0.2.9 ok")
    }

    /// RFC 5321 §5.1 [choice]: a connect timeout and a greeting that never comes move on too.
    @Test func connectAndGreetingTimeoutsMoveOn() async {
        var engine = engine(a: ["192.0.2.6", "192.0.2.7", "192.0.2.9"])
        engine.smtpByAddress["192.0.2.6"] = .failure(.connect(.timeout), detail: "")
        engine.smtpByAddress["192.0.2.7"] = .failure(.greetingTimeout, detail: "")
        let result = await probe(engine)
        #expect(result.delivery == .ok)
        #expect(AddressAttempt.text(result.mxProbes[0].attempts)
                == "192.0.2.6 mx-connect-timeout, 192.0.2.7 mx-greeting-timeout, 192.0.2.9 ok")
    }

    /// RFC 5321 §5.1: a reply is the host's answer (here EHLO without STARTTLS): no next address.
    @Test func anAnswerDecidesWithoutTryingMore() async {
        var engine = engine(a: ["192.0.2.4", "192.0.2.9"])
        engine.smtpByAddress["192.0.2.4"] = .failure(.startTLSNotOffered, detail: "no STARTTLS")
        let result = await probe(engine)
        #expect(result.primaryError?.code == .mxStartTLSMissing)
        #expect(engine.connected.probed == ["192.0.2.4"])
        #expect(AddressAttempt.text(result.mxProbes[0].attempts) == "192.0.2.4 mx-starttls-missing")
    }

    /// At most three addresses (RFC 5321 §5.1 bounds the tries; issue 20 sets three); when
    /// none gives a session, the last one's failure is the verdict and the detail names them all.
    @Test func atMostThreeAddressesAndTheLastDecides() async {
        var engine = engine(a: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"])
        for n in 1...3 { engine.smtpByAddress["192.0.2.\(n)"] = .failure(.connect(.refused), detail: "curl 7") }
        engine.smtpByAddress["192.0.2.3"] = .failure(.connect(.timeout), detail: "curl 28")
        let result = await probe(engine)
        #expect(engine.connected.probed == ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
        #expect(result.primaryError?.code == .mxConnectTimeout)
        #expect(result.mxProbes[0].address == "192.0.2.3")
        #expect(result.primaryError?.detail.hasSuffix(
            "addresses tried: 192.0.2.1 mx-connect-refused, 192.0.2.2 mx-connect-refused, 192.0.2.3 mx-connect-timeout") == true)
    }

    /// IPv4 in answer order first, then IPv6 where the machine has a route.
    @Test func ipv6AddressesFollowIPv4WhereRoutable() async {
        var engine = engine(a: ["192.0.2.8"], aaaa: ["2001:db8::25", "::1"])
        engine.ipv6Routes = ["::1"]
        engine.smtpByAddress["192.0.2.8"] = .failure(.connect(.refused), detail: "")
        let result = await probe(engine)
        #expect(engine.connected.probed == ["192.0.2.8", "::1"])
        #expect(AddressAttempt.text(result.mxProbes[0].attempts) == "192.0.2.8 mx-connect-refused, ::1 ok")
        #expect(result.delivery == .ok)
    }

    /// An AAAA-only host is probed over IPv6 when routable.
    @Test func ipv6OnlyHostIsProbedWhereRoutable() async {
        var engine = engine(a: [], aaaa: ["::1"])
        engine.ipv6Routes = ["::1"]
        let result = await probe(engine)
        #expect(result.delivery == .ok)
        #expect(result.mxProbes[0].address == "::1" && result.mxProbes[0].ipv6Address == "::1")
    }

    /// An AAAA-only host with no route: `mx-host-ipv6-only`, not `mx-host-no-address` (which
    /// would be false), and no connection attempted.
    @Test func ipv6OnlyHostWithoutRouteSaysSo() async {
        let engine = engine(a: [], aaaa: ["2001:db8::25"])
        let result = await probe(engine)
        #expect(result.primaryError?.code == .mxHostIPv6Only)
        #expect(result.primaryError?.detail.contains("2001:db8::25") == true)
        #expect(result.delivery == .fails)
        #expect(engine.connected.probed.isEmpty)
        #expect(result.mxProbes[0].attempts.isEmpty && result.mxProbes[0].outcome == .failure(.mxHostIPv6Only))
    }

    @Test func candidateOrderRule() {
        let routes: Set<String> = ["::1"]
        #expect(AddressOrder.candidates(ipv4: ["a", "b"], ipv6: ["2001:db8::1", "::1"], hasRoute: { routes.contains($0) })
                == ["a", "b", "::1"])
        #expect(AddressOrder.candidates(ipv4: ["a", "a", "b", "c", "d"], ipv6: ["::1"], hasRoute: { _ in true }) == ["a", "b", "c"])
        #expect(AddressOrder.withPort("::1", 25) == "[::1]:25" && AddressOrder.withPort("192.0.2.1", 25) == "192.0.2.1:25")
    }
}

/// The policy host's addresses (RFC 5321 §5.1 applied to `mta-sts.<domain>`, issue 20): a
/// fetch moves on only when it cannot connect.
@Suite struct PolicyAddressTests {
    private func probe(_ engine: ScriptedEngine) async -> DomainRecord {
        await DomainProbe(engine: engine).probe(InputEntry(position: 0, line: 1, rank: 1, raw: "example.com")).0
    }

    @Test func refusedFirstAddressMovesOn() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.ok, addresses: ["192.0.2.2", "192.0.2.1"]))
        engine.fetchesByAddress["192.0.2.2"] = .failure(.connect(.refused), detail: "curl 7")
        let result = await probe(engine)
        #expect(result.policyStatus == .valid && result.primaryError == nil)
        #expect(result.policyAddress == "192.0.2.1")
        #expect(AddressAttempt.text(result.policyAttempts) == "192.0.2.2 connect-refused, 192.0.2.1 200")
    }

    /// A host that accepts and never answers is the host's answer: no next address, so a
    /// hanging host costs one fetch timeout.
    @Test func fetchTimeoutAfterConnectDoesNotMoveOn() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.ok, addresses: ["192.0.2.2", "192.0.2.1"]))
        engine.fetchesByAddress["192.0.2.2"] = .failure(.timeout, detail: "curl 28")
        let result = await probe(engine)
        #expect(result.primaryError?.code == .fetchTimeout)
        #expect(engine.fetched.probed == ["192.0.2.2"])
    }

    /// The A addresses used up, a routable AAAA address is next.
    @Test func aaaaAfterTheAAddresses() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.ok, addresses: ["192.0.2.2"]))
        engine.set("mta-sts.example.com", .aaaa, .make(.ok, addresses: ["::1"]))
        engine.ipv6Routes = ["::1"]
        engine.fetchesByAddress["192.0.2.2"] = .failure(.connect(.timeout), detail: "curl 28")
        let result = await probe(engine)
        #expect(result.policyStatus == .valid)
        #expect(AddressAttempt.text(result.policyAttempts) == "192.0.2.2 connect-timeout, ::1 200")
    }

    /// Every address refused: the last one's finding, the detail names each.
    @Test func allRefusedKeepsEachAttempt() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.ok, addresses: ["192.0.2.2", "192.0.2.3"]))
        engine.set("mta-sts.example.com", .aaaa, .make(.nodata))
        engine.fetchesByAddress["192.0.2.2"] = .failure(.connect(.refused), detail: "curl 7")
        engine.fetchesByAddress["192.0.2.3"] = .failure(.connect(.refused), detail: "curl 7")
        let result = await probe(engine)
        #expect(result.primaryError?.code == .connectRefused)
        #expect(result.primaryError?.detail.hasSuffix("addresses tried: 192.0.2.2 connect-refused, 192.0.2.3 connect-refused") == true)
        #expect(result.policyAddress == "192.0.2.3")
    }
}
