import STSCore
import STSStore
import STSEngine
import Testing
@testable import STSScanner

/// The probe's decisions per stage, against a scripted network. Sections refer to
/// rfc8461-8460-rules.md and docs/architecture.md (status columns).
@Suite struct DomainProbeTests {
    func probe(_ engine: ScriptedEngine, _ domain: String = "example.com") async -> DomainRecord {
        await DomainProbe(engine: engine).probe(InputEntry(position: 7, line: 8, rank: 3, raw: domain)).0
    }

    @Test func workingEnforceDeploymentIsValidEverywhere() async {
        let r = await probe(workingDeployment())
        #expect(r.position == 7 && r.rank == 3)
        #expect(r.mxStatus == .ok)
        #expect(r.stsRecord == .valid && r.stsID == "20240101")
        #expect(r.policyStatus == .valid && r.mode == .enforce && r.maxAge == 604800)
        #expect(r.mxCoverage == .all)
        #expect(r.mxHosts == [.init(preference: 10, host: "mail.example.com", covered: true)])
        #expect(r.tlsrptRecord == .valid && r.tlsrptRUA == ["mailto:tls@example.com"])
        #expect(r.primaryError == nil)
        #expect(r.policyAddress == "192.0.2.1")
    }

    @Test func inputIsNormalisedBeforeLookups() async {
        let r = await probe(workingDeployment(), "Example.COM.")
        #expect(r.domain == "example.com" && r.input == "Example.COM.")
        #expect(r.stsRecord == .valid)
    }

    @Test func invalidNameIsRecordedNotDropped() async {
        let r = await probe(workingDeployment(), "not a domain!")
        #expect(r.primaryError?.code == .inputInvalidName)
        #expect(r.domain == "not a domain!")
    }

    @Test func nxdomainDomain() async {
        let r = await probe(ScriptedEngine(), "gone.example")
        #expect(r.mxStatus == .nxdomain)
        #expect(r.stsRecord == .absent && r.tlsrptRecord == .absent)
        #expect(r.primaryError?.code == .domainNXDomain)
        #expect(r.policyStatus == nil)
    }

    @Test func noMTASTSIsNotAnError() async {
        var engine = ScriptedEngine()
        engine.set("plain.example", .mx, .make(.ok, mx: [(0, "mx.plain.example")]))
        let r = await probe(engine, "plain.example")
        #expect(r.stsRecord == .absent && r.policyStatus == nil && r.mxCoverage == nil)
        #expect(r.primaryError == nil)
        #expect(r.findings.map(\.code).contains(.txtAbsent))
    }

    @Test func nullMXIsOkWithoutHosts() async {
        var engine = ScriptedEngine()
        engine.set("nomail.example", .mx, .make(.ok, mx: [(0, ".")]))
        let r = await probe(engine, "nomail.example")
        #expect(r.mxStatus == .ok && r.mxHosts.isEmpty)
        #expect(r.findings.map(\.code).contains(.mxNull))
    }

    @Test func dnsTimeoutOnTXTIsAnErrorStatus() async {
        var engine = workingDeployment()
        engine.set("_mta-sts.example.com", .txt, .make(.timeout))
        let r = await probe(engine)
        #expect(r.stsRecord == .error)
        #expect(r.primaryError?.code == .txtDNSTimeout)
        #expect(r.policyStatus == nil)
    }

    @Test func servfailOnMXIsPrimaryBeforeLaterStages() async {
        var engine = workingDeployment()
        engine.set("example.com", .mx, .make(.servfail))
        engine.set("_smtp._tls.example.com", .txt, .make(.timeout))
        let r = await probe(engine)
        #expect(r.mxStatus == .servfail)
        #expect(r.primaryError?.code == .mxDNSServfail)
        #expect(r.mxCoverage == nil)  // no MX hosts known
    }

    /// §1: a CNAME at _mta-sts is followed; its target is kept for the providers table.
    @Test func stsCNAMEIsRecorded() async {
        var engine = workingDeployment()
        engine.set("_mta-sts.example.com", .txt, .make(.ok, txt: ["v=STSv1; id=abc"], cnames: ["_mta-sts.provider.net"]))
        let r = await probe(engine)
        #expect(r.stsCNAME == "_mta-sts.provider.net" && r.stsRecord == .valid)
    }

    @Test func policyHostWithoutAddress() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.nodata))
        engine.set("mta-sts.example.com", .aaaa, .make(.nodata))
        let r = await probe(engine)
        #expect(r.policyStatus == .fetchError && r.primaryError?.code == .policyHostNoAddress)
    }

    /// Fetched over IPv6 where this machine has a route (issue 20: the sender's rule).
    @Test func policyHostIPv6OnlyIsFetched() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.nodata))
        engine.set("mta-sts.example.com", .aaaa, .make(.ok, addresses: ["2001:db8::1"]))
        engine.ipv6Routes = ["2001:db8::1"]
        let r = await probe(engine)
        #expect(r.policyAddress == "2001:db8::1" && r.policyStatus == .valid)
    }

    /// Without a route, no connection is attempted and the finding says why.
    @Test func policyHostIPv6OnlyWithoutRouteIsAConnectError() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.nodata))
        engine.set("mta-sts.example.com", .aaaa, .make(.ok, addresses: ["2001:db8::1"]))
        let r = await probe(engine)
        #expect(r.primaryError?.code == .connectError && r.primaryError?.detail.contains("no IPv6 route") == true)
        #expect(engine.fetched.probed.isEmpty)
    }

    @Test func policyHostNXDomain() async {
        var engine = workingDeployment()
        engine.set("mta-sts.example.com", .a, .make(.nxdomain))
        let r = await probe(engine)
        #expect(r.primaryError?.code == .policyHostNXDomain)
    }

    /// §2: redirects are not followed; only 200 text/plain is a policy.
    @Test(arguments: [
        (301, "text/html", FindingCode.httpRedirect),
        (404, "text/html", FindingCode.httpNotFound),
        (500, "text/plain", FindingCode.httpStatus),
        (200, "text/html", FindingCode.httpContentType),
    ])
    func httpFailures(status: Int, contentType: String, expected: FindingCode) async {
        var engine = workingDeployment()
        engine.fetches["mta-sts.example.com"] = .response(status: status, contentType: contentType,
                                                           location: "https://elsewhere/", body: Array("x".utf8))
        let r = await probe(engine)
        #expect(r.policyStatus == .fetchError)
        #expect(r.primaryError?.code == expected)
        #expect(r.httpStatus == status && r.mode == nil)
    }

    @Test func engineFetchFailureIsRecorded() async {
        var engine = workingDeployment()
        engine.fetches["mta-sts.example.com"] = .failure(.certificate(.expired), detail: "certificate has expired")
        let r = await probe(engine)
        #expect(r.policyStatus == .fetchError && r.primaryError?.code == .certExpired)
        #expect(r.primaryError?.resultType == .stsWebpkiInvalid)
    }

    @Test func invalidPolicyKeepsFieldsItCouldRead() async {
        let r = await probe(workingDeployment(policy: "version: STSv1\nmode: enforce\nmax_age: 604800\n"))
        #expect(r.policyStatus == .invalid && r.mode == .enforce && r.maxAge == 604800)
        #expect(r.primaryError?.code == .policyMissingMX)
        #expect(r.mxCoverage == nil)
    }

    /// §4: one-label wildcard does not cover a deeper host.
    @Test func mxNotCovered() async {
        var engine = workingDeployment(policy: "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n")
        engine.set("example.com", .mx, .make(.ok, mx: [(10, "a.b.example.com")]))
        let r = await probe(engine)
        #expect(r.policyStatus == .valid && r.mxCoverage == MXCoverage.none)
        #expect(r.primaryError?.code == .mxNotCovered)
    }

    @Test func mxPartlyCoveredIsAWarning() async {
        var engine = workingDeployment()
        engine.set("example.com", .mx, .make(.ok, mx: [(10, "mail.example.com"), (20, "backup.other.net")]))
        let r = await probe(engine)
        #expect(r.mxCoverage == .some && r.primaryError == nil)
        #expect(r.findings.map(\.code).contains(.mxPartlyCovered))
        #expect(r.mxHosts.map(\.covered) == [true, false])
    }

    @Test func modeNoneHasNoCoverage() async {
        let r = await probe(workingDeployment(policy: "version: STSv1\nmode: none\nmax_age: 86400\n"))
        #expect(r.policyStatus == .valid && r.mode == PolicyMode.none && r.mxCoverage == nil)
    }

    @Test func tlsrptErrorDoesNotHideAnMTASTSError() async {
        var engine = workingDeployment()
        engine.set("_smtp._tls.example.com", .txt, .make(.ok, txt: ["v=TLSRPTv1;"]))
        engine.fetches["mta-sts.example.com"] = .failure(.connect(.refused), detail: "")
        let r = await probe(engine)
        #expect(r.tlsrptRecord == .invalid)
        #expect(r.primaryError?.code == .connectRefused)
    }

    @Test func explainNarratesEveryLookup() async {
        let (_, steps) = await DomainProbe(engine: workingDeployment())
            .probe(InputEntry(position: 0, line: 1, rank: nil, raw: "example.com"), explain: true)
        #expect(steps.map(\.action).count == 5)  // MX, 2 TXT, A, GET
        #expect(steps.last?.outcome == "HTTP 200")
    }
}
