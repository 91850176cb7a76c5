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
        engine.set("mx1.example.com", .aaaa, .make(.ok, addresses: ["2001:db8::25"]))
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
