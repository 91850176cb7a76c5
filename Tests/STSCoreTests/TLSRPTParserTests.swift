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

    /// §6: only `v=TLSRPTv1 *WSP ";"` begins a TLSRPTv1 record; look-alikes are discarded
    /// before counting, so the one good record beside them is usable.
    @Test func section6_lookalikesAreDiscardedBeforeCounting() {
        for lookalike in ["v=TLSRPTv1", "v=TLSRPTv1 is not a record", "V=TLSRPTv1; rua=mailto:x@example.com",
                          "v=TLSRPTv10; rua=mailto:x@example.com", "rua=mailto:x@example.com; v=TLSRPTv1"] {
            for records in [[lookalike, "v=TLSRPTv1; rua=mailto:good@example.com"],
                            ["v=TLSRPTv1 ;rua=mailto:good@example.com", lookalike]] {
                let verdict = TLSRPTParser.evaluate(records)
                #expect(verdict.status == .valid, "\(records)")
                #expect(verdict.rua == ["mailto:good@example.com"], "\(records)")
                #expect(verdict.findings.isEmpty, "\(records): \(verdict.findings.map(\.code))")
            }
        }
        let only = TLSRPTParser.evaluate(["v=TLSRPTv1", "V=TLSRPTv1; rua=mailto:x@example.com"])
        #expect(only.status == .invalid)
        #expect(only.findings.map(\.code) == [.tlsrptMissingRUA, .tlsrptSyntax])
    }

    /// §6: a mailto: URI is an addr-spec: local part, "@", and a host name or address literal.
    @Test func section6_mailtoNeedsAValidDomain() {
        for bad in ["mailto:a@b.com:test", "mailto:a@", "mailto:@b.com", "mailto:a@b..com", "mailto:a@-b.com",
                    "mailto:a@b.com.", "mailto:a@b_c.com", "mailto:a@[1.2.3]", "mailto:a@[1.2.3.256]",
                    "mailto:a@[example.com]", "mailto:a@b.com/x", "mailto:a@b@c.com", "mailto:a@%ff.com"] {
            let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=\(bad)"])
            #expect(verdict.findings.map(\.code) == [.tlsrptBadURI], "\(bad)")
            #expect(verdict.status == .invalid, "\(bad)")
        }
        for good in ["mailto:a@b.com", "mailto:a.b+c@mail.example.com?subject=x", "mailto:a@[192.0.2.1]",
                     "mailto:a@[IPv6:2001:db8::1]", "mailto:a@localhost", "mailto:a@xn--mnchen-3ya.de",
                     "mailto:a@m%C3%BCnchen.de", "mailto:a%40b@example.com"] {
            let verdict = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=\(good)"])
            #expect(verdict.status == .valid, "\(good): \(verdict.findings.map(\.detail))")
        }
        let detail = TLSRPTParser.evaluate(["v=TLSRPTv1; rua=mailto:a@b.com:test"]).findings[0].detail
        #expect(detail.contains("not a host name"), "\(detail)")
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
