import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §6: the TLS-RPT record (RFC 8460 §3).
@Suite struct TLSRPTParserTests {
    private func codes(_ records: [String]) -> [FindingCode] {
        TLSRPTParser.evaluate(records).findings.map(\.code)
    }

    @Test func section6_mailtoRecordIsValid() {
        let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"])
        #expect(verdict.status == .valid)
        #expect(verdict.isValid)
        #expect(verdict.rua == ["mailto:tlsrpt@example.com"])
        #expect(verdict.findings.isEmpty)
    }

    @Test func section6_ruaListWithSpacesAroundCommas() {
        let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1;rua=mailto:a@example.com , https://r.example.net/tlsrpt;"])
        #expect(verdict.status == .valid)
        #expect(verdict.rua == ["mailto:a@example.com", "https://r.example.net/tlsrpt"])
    }

    @Test func section6_absentAndUnrelated() {
        #expect(TLSRPTParser.evaluate([]).status == .absent)
        #expect(codes([]) == [.tlsrptAbsent])
        #expect(TLSRPTParser.evaluate(["v=spf1 -all"]).status == .absent)
    }

    @Test func section6_ruaIsRequired() {
        #expect(codes(["v=TLSRPTv1;"]) == [.tlsrptMissingRUA])
        #expect(codes(["v=TLSRPTv1"]) == [.tlsrptMissingRUA])
        #expect(codes(["v=TLSRPTv1; RUA=mailto:a@example.com"]) == [.tlsrptExtension, .tlsrptMissingRUA])
    }

    @Test func section6_onlyMailtoAndHttpsURIs() {
        #expect(codes(["v=TLSRPTv1; rua=http://example.com/r"]) == [.tlsrptBadURI])
        #expect(codes(["v=TLSRPTv1; rua=tlsrpt@example.com"]) == [.tlsrptBadURI])
        #expect(codes(["v=TLSRPTv1; rua=mailto:"]) == [.tlsrptBadURI])
        #expect(codes(["v=TLSRPTv1; rua=https:/x"]) == [.tlsrptBadURI])
        #expect(codes(["v=TLSRPTv1; rua="]) == [.tlsrptBadURI])
        #expect(TLSRPTParser.evaluate(["v=TLSRPTv1; rua=MAILTO:a@example.com"]).status == .valid)
    }

    /// "," "!" and ";" inside a URI must be percent-encoded.
    @Test func section6_reservedCharactersMustBeEncoded() {
        #expect(codes(["v=TLSRPTv1; rua=mailto:a!b@example.com"]) == [.tlsrptBadURI])
        #expect(TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:a%21b@example.com"]).status == .valid)
        #expect(codes(["v=TLSRPTv1; rua=mailto:a%2@example.com"]) == [.tlsrptBadURI])
        #expect(codes(["v=TLSRPTv1; rua=mailto:a@example.com,"]) == [.tlsrptBadURI])   // empty URI after ","
    }

    @Test func section6_versionIsCaseSensitiveAndFirst() {
        #expect(codes(["v=tlsrptv1; rua=mailto:a@example.com"]) == [.tlsrptSyntax])
        #expect(codes(["rua=mailto:a@example.com; v=TLSRPTv1"]) == [.tlsrptSyntax])
        #expect(TLSRPTParser.evaluate(["v=TLSRPTv2; rua=mailto:a@example.com"]).status == .invalid)
    }

    @Test func section6_twoRecordsAreNoTLSRPT() {
        let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:a@example.com",
                                             "v=TLSRPTv1; rua=mailto:b@example.com"])
        #expect(verdict.status == .invalid)
        #expect(verdict.rua.isEmpty)
        #expect(verdict.findings.map(\.code) == [.tlsrptMultipleRecords])
    }

    /// [choice] several rua fields: URIs merged, warning.
    @Test func section6_multipleRUAFieldsMerged() {
        let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:a@example.com; rua=https://r.example.com/"])
        #expect(verdict.status == .valid)
        #expect(verdict.rua == ["mailto:a@example.com", "https://r.example.com/"])
        #expect(verdict.findings.map(\.code) == [.tlsrptMultipleRUA])
        #expect(verdict.findings[0].severity == .warning)
    }

    @Test func section6_extensionsIgnored() {
        let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:a@example.com; x-foo=bar"])
        #expect(verdict.status == .valid)
        #expect(verdict.findings.map(\.code) == [.tlsrptExtension])
    }

    @Test func section6_syntaxViolations() {
        #expect(codes(["v=TLSRPTv1 rua=mailto:a@example.com"]) == [.tlsrptSyntax])
        #expect(codes(["v=TLSRPTv1; rua = mailto:a@example.com"]) == [.tlsrptSyntax])
        #expect(codes(["v=TLSRPTv1;; rua=mailto:a@example.com"]) == [.tlsrptSyntax])
    }
}
