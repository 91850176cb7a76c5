import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §5: a host passes when covered AND its TLS validated; per domain
/// ok (all pass), degraded (some), fails (none); no hosts, no verdict.
@Suite struct DeliveryVerdictTests {
    @Test func everyHostPassingIsOK() {
        let (delivery, findings) = DeliveryVerdict.evaluate([
            MXHostCheck(host: "mx1.example.com", covered: true, failure: nil),
            MXHostCheck(host: "mx2.example.com", covered: true, failure: nil),
        ])
        #expect(delivery == .ok)
        #expect(findings.isEmpty)
    }

    @Test func oneBrokenHostDegrades() {
        let (delivery, findings) = DeliveryVerdict.evaluate([
            MXHostCheck(host: "mx1.example.com", covered: true, failure: nil),
            MXHostCheck(host: "mx2.example.com", covered: true, failure: .mxCertExpired, detail: "not after 2020"),
        ])
        #expect(delivery == .degraded)
        #expect(findings.map(\.code) == [.mxCertExpired, .deliveryDegraded])
        #expect(findings[0].detail == "mx2.example.com: not after 2020")
        #expect(findings.primaryError?.code == .mxCertExpired)
    }

    /// §5: "an MX that the policy does not cover fails whatever its TLS".
    @Test func uncoveredHostFailsWhateverItsTLS() {
        let (delivery, findings) = DeliveryVerdict.evaluate([
            MXHostCheck(host: "mx1.example.com", covered: true, failure: nil),
            MXHostCheck(host: "backup.example.net", covered: false, failure: nil),
        ])
        #expect(delivery == .degraded)
        #expect(findings.map(\.code) == [.deliveryDegraded])
        #expect(findings.primaryError == nil) // degraded is a warning
    }

    @Test func noPassingHostFails() {
        let (delivery, findings) = DeliveryVerdict.evaluate([
            MXHostCheck(host: "mx1.example.com", covered: true, failure: .mxStartTLSMissing),
            MXHostCheck(host: "mx2.example.com", covered: false, failure: nil),
        ])
        #expect(delivery == .fails)
        #expect(findings.map(\.code) == [.mxStartTLSMissing, .deliveryFails])
        #expect(findings.primaryError?.code == .mxStartTLSMissing)
    }

    @Test func noHostsNoVerdict() {
        let (delivery, findings) = DeliveryVerdict.evaluate([])
        #expect(delivery == nil)
        #expect(findings.isEmpty)
    }

    /// The mx-tls stage comes after mx-coverage and before tlsrpt, so an uncovered MX stays
    /// the primary finding and a TLS-RPT error does not hide a delivery failure.
    @Test func stageOrder() {
        #expect(Stage.mxCoverage < Stage.mxTLS)
        #expect(Stage.mxTLS < Stage.tlsrpt)
        let findings = [Finding(.tlsrptSyntax), Finding(.mxCertUntrusted), Finding(.mxNotCovered)]
        #expect(findings.primaryError?.code == .mxNotCovered)
        #expect([Finding(.tlsrptSyntax), Finding(.mxCertUntrusted)].primaryError?.code == .mxCertUntrusted)
    }

    @Test func resultTypesFollowRFC8460() {
        #expect(FindingCode.mxStartTLSMissing.resultType == .starttlsNotSupported)
        #expect(FindingCode.mxCertExpired.resultType == .certificateExpired)
        #expect(FindingCode.mxCertUntrusted.resultType == .certificateNotTrusted)
        #expect(FindingCode.mxCertNameMismatch.resultType == .certificateHostMismatch)
        #expect(FindingCode.mxTLSHandshakeFailed.resultType == .validationFailure)
    }
}
