import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §1: the `_mta-sts` TXT record (RFC 8461 §3.1).
@Suite struct STSRecordParserTests {
    private func codes(_ records: [String]) -> [FindingCode] {
        STSRecordParser.evaluate(records).findings.map(\.code)
    }

    @Test func section1_minimalRecordIsValid() {
        let verdict = STSRecordParser.evaluate(["v=STSv1; id=20240101T000000"])
        #expect(verdict.status == .valid)
        #expect(verdict.isValid)
        #expect(verdict.id == "20240101T000000")
        #expect(verdict.findings.isEmpty)
    }

    @Test func section1_noRecordsIsAbsent() {
        let verdict = STSRecordParser.evaluate([])
        #expect(verdict.status == .absent)
        #expect(verdict.id == nil)
        #expect(verdict.findings.map(\.code) == [.txtAbsent])
    }

    @Test func section1_unrelatedRecordsAreDropped() {
        let verdict = STSRecordParser.evaluate(["google-site-verification=abc", "v=spf1 -all"])
        #expect(verdict.status == .absent)
        #expect(verdict.findings.map(\.code) == [.txtAbsent])
        let withOne = STSRecordParser.evaluate(["v=spf1 -all", "v=STSv1; id=abc"])
        #expect(withOne.status == .valid)
        #expect(withOne.id == "abc")
    }

    @Test func section1_trailingDelimiterIsOptional() {
        #expect(STSRecordParser.evaluate(["v=STSv1; id=abc;"]).status == .valid)
        #expect(STSRecordParser.evaluate(["v=STSv1;id=abc"]).status == .valid)
        #expect(STSRecordParser.evaluate(["v=STSv1;\tid=abc ;  "]).status == .valid)
    }

    /// Boundary: sts-id = 1*32(ALPHA / DIGIT).
    @Test func section1_id32CharactersValid33TooLong() {
        let id32 = String(repeating: "a", count: 31) + "9"
        let id33 = id32 + "Z"
        let ok = STSRecordParser.evaluate(["v=STSv1; id=\(id32)"])
        #expect(ok.status == .valid)
        #expect(ok.id == id32)
        let long = STSRecordParser.evaluate(["v=STSv1; id=\(id33)"])
        #expect(long.status == .invalid)
        #expect(long.id == nil)
        #expect(long.findings.map(\.code) == [.txtIDTooLong])
        #expect(STSRecordParser.evaluate(["v=STSv1; id=a"]).status == .valid)
    }

    @Test func section1_idWithDashesOrEmptyIsInvalid() {
        #expect(codes(["v=STSv1; id=2024-01-01"]) == [.txtInvalidID])
        #expect(codes(["v=STSv1; id="]) == [.txtInvalidID])
        #expect(codes(["v=STSv1; id=abc.def"]) == [.txtInvalidID])
    }

    @Test func section1_versionAloneHasNoID() {
        #expect(codes(["v=STSv1;"]) == [.txtMissingID])
        #expect(codes(["v=STSv1"]) == [.txtMissingID])
        #expect(codes(["v=STSv1; foo=bar"]) == [.txtExtension, .txtMissingID])
    }

    @Test func section1_fieldNamesAreCaseSensitive() {
        let verdict = STSRecordParser.evaluate(["v=STSv1; ID=abc"])
        #expect(verdict.status == .invalid)
        #expect(verdict.findings.map(\.code) == [.txtExtension, .txtMissingID])
        #expect(verdict.findings.last?.detail.contains("case-sensitive") == true)
    }

    /// [choice] v=STSv2 and lower-case versions are txt-not-stsv1.
    @Test func section1_otherVersionsAreNotSTSv1() {
        for record in ["v=STSv2; id=abc", "v=stsv1; id=abc", "V=STSv1; id=abc", "v=STSv10; id=abc", "v=STS"] {
            let verdict = STSRecordParser.evaluate([record])
            #expect(verdict.status == .invalid, "\(record)")
            #expect(verdict.findings.map(\.code) == [.txtNotSTSv1], "\(record)")
        }
    }

    @Test func section1_versionMustComeFirst() {
        #expect(codes(["id=abc; v=STSv1"]) == [.txtVersionNotFirst])
        #expect(codes([" v=STSv1; id=abc"]) == [.txtVersionNotFirst])
        #expect(STSRecordParser.evaluate(["id=abc; v=STSv1"]).status == .invalid)
    }

    @Test func section1_twoSTSv1RecordsAreNoUsablePolicy() {
        let verdict = STSRecordParser.evaluate(["v=STSv1; id=a", "v=spf1 -all", "v=STSv1; id=b"])
        #expect(verdict.status == .invalid)
        #expect(verdict.id == nil)
        #expect(verdict.findings.map(\.code) == [.txtMultipleRecords])
        #expect(verdict.findings[0].detail.contains("1, 3"))
    }

    /// A look-alike next to one usable record is discarded as senders do.
    @Test func section1_lookalikeBesideUsableRecordIsDiscarded() {
        let verdict = STSRecordParser.evaluate(["v=STSv2; id=x", "v=STSv1; id=y"])
        #expect(verdict.status == .valid)
        #expect(verdict.id == "y")
        #expect(verdict.findings.isEmpty)
    }

    /// §1: only `v=STSv1 *WSP ";"` begins an STSv1 record; look-alikes (peers' vectors) are
    /// discarded before counting, so the one good record beside them is usable.
    @Test func section1_lookalikesAreDiscardedBeforeCounting() {
        for lookalike in ["v=STSv1", "v=STSv1 is not a policy", "V=STSv1; id=x", "v=STSv1  ", "v=STSv10; id=x",
                          "id=x; v=STSv1"] {
            for records in [[lookalike, "v=STSv1; id=good"], ["v=STSv1; id=good", lookalike]] {
                let verdict = STSRecordParser.evaluate(records)
                #expect(verdict.status == .valid, "\(records)")
                #expect(verdict.id == "good", "\(records)")
                #expect(verdict.findings.isEmpty, "\(records): \(verdict.findings.map(\.code))")
            }
        }
        // Two delimited records still count as two, whatever look-alikes stand beside them.
        let two = STSRecordParser.evaluate(["v=STSv1", "v=STSv1;id=a", "v=STSv1 ; id=b"])
        #expect(two.findings.map(\.code) == [.txtMultipleRecords])
        #expect(two.findings[0].detail.contains("records 2, 3"))
    }

    /// §1: with no STSv1 record left, each look-alike is explained in record order and the
    /// domain has no usable policy (`invalid`, as before; never `txt-multiple-records`).
    @Test func section1_onlyLookalikesAreExplained() {
        let verdict = STSRecordParser.evaluate(["v=STSv1", "v=STSv1 is not a policy", "V=STSv1; id=x"])
        #expect(verdict.status == .invalid)
        #expect(verdict.id == nil)
        #expect(verdict.findings.map(\.code) == [.txtMissingID, .txtSyntax, .txtNotSTSv1])
        #expect(verdict.findings.map { $0.detail.prefix(9) } == ["record 1:", "record 2:", "record 3:"])
        #expect(codes(["v=STSv1 is not a policy"]) == [.txtSyntax])
    }

    /// [choice] erratum 6285: `v=STSv1 ;` is grammatical; accept with a warning.
    @Test func section1_spaceBeforeDelimiterIsValidWithWarning() {
        let verdict = STSRecordParser.evaluate(["v=STSv1 ; id=abc"])
        #expect(verdict.status == .valid)
        #expect(verdict.id == "abc")
        #expect(verdict.findings.map(\.code) == [.txtSpaceBeforeDelimiter])
        #expect(verdict.findings[0].severity == .warning)
    }

    @Test func section1_noSpacesAroundEquals() {
        #expect(codes(["v=STSv1; id = abc"]) == [.txtSyntax])
        #expect(codes(["v=STSv1; id= abc"]) == [.txtSyntax])
        #expect(STSRecordParser.evaluate(["v=STSv1; id =abc"]).status == .invalid)
    }

    @Test func section1_layoutViolationsAreSyntaxErrors() {
        #expect(codes(["v=STSv1 id=abc"]) == [.txtSyntax])           // missing ";"
        #expect(codes(["v=STSv1;; id=abc"]) == [.txtSyntax])         // empty field
        #expect(codes(["v=STSv1; id=abc; junk"]) == [.txtSyntax])    // field without "="
        #expect(codes(["v=STSv1; id=abc "]) == [.txtSyntax])         // trailing WSP without ";"
        #expect(codes(["v=STSv1; id=abc; _x=1"]) == [.txtSyntax])    // ext name must start alnum
        #expect(codes(["v=STSv1; id=abc; x=a b"]) == [.txtSyntax])   // no space in ext value
        #expect(codes(["v=STSv1; id=abc; x="]) == [.txtSyntax])      // ext value 1*
    }

    @Test func section1_extensionsAreIgnoredWithInfo() {
        let verdict = STSRecordParser.evaluate(["v=STSv1; id=abc; foo.bar-baz_1=x:y/z"])
        #expect(verdict.status == .valid)
        #expect(verdict.findings.map(\.code) == [.txtExtension])
        #expect(verdict.findings[0].severity == .info)
    }

    @Test func section1_repeatedIDFirstWins() {
        let verdict = STSRecordParser.evaluate(["v=STSv1; id=first; id=second"])
        #expect(verdict.status == .valid)
        #expect(verdict.id == "first")
        #expect(verdict.findings.map(\.code) == [.txtExtension])
    }

    /// §1: several strings of one record are joined with nothing between; the caller joins,
    /// so a record split mid-field parses as the concatenation.
    @Test func section1_joinedStringsParseAsOne() {
        let strings = ["v=STSv1; i", "d=2024"]
        #expect(STSRecordParser.evaluate([strings.joined()]).id == "2024")
    }

    @Test func hostileInputGetsAVerdictWithEscapedDetail() {
        let binary = "v=STSv1; id=\u{1b}[31mred\u{0}"
        let verdict = STSRecordParser.evaluate([binary])
        #expect(verdict.status == .invalid)
        #expect(verdict.findings.map(\.code) == [.txtInvalidID])
        #expect(!verdict.findings[0].detail.contains("\u{1b}"))
        #expect(verdict.findings[0].detail.contains("\\x1b"))
    }

    /// TXT data is bytes: the raw overload keeps invalid UTF-8 visible in the detail.
    @Test func rawBytesOverload() {
        let record: [UInt8] = Array("v=STSv1; id=ab".utf8) + [0xFF]
        let verdict = STSRecordParser.evaluate(rawRecords: [record])
        #expect(verdict.findings.map(\.code) == [.txtInvalidID])
        #expect(verdict.findings[0].detail.contains("ab\\xff"))
        #expect(STSRecordParser.evaluate(rawRecords: [Array("v=STSv1; id=ab".utf8)]).id == "ab")
        #expect(TLSRPTParser.evaluate(rawRecords: [Array("v=TLSRPTv1; rua=mailto:a@b.example".utf8)]).isValid)
    }

    @Test func oneMegabyteRecordIsHandled() {
        let big = "v=STSv1; id=abc; x=" + String(repeating: "y", count: 1 << 20)
        let verdict = STSRecordParser.evaluate([big])
        #expect(verdict.status == .valid)
        #expect(verdict.findings.map(\.code) == [.txtExtension])
        #expect(verdict.findings[0].detail.count < 200)
        let bigID = STSRecordParser.evaluate(["v=STSv1; id=" + String(repeating: "a", count: 1 << 20)])
        #expect(bigID.findings.map(\.code) == [.txtIDTooLong])
    }
}
