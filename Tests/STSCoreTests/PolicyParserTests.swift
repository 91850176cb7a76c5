import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §3: the policy body (RFC 8461 §3.2).
@Suite struct PolicyParserTests {
    private func evaluate(_ text: String) -> PolicyVerdict { PolicyParser.evaluate(Array(text.utf8)) }
    private func codes(_ text: String) -> [FindingCode] { evaluate(text).findings.map(\.code) }

    private let good = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n"

    @Test func section3_validPolicy() {
        let verdict = evaluate(good)
        #expect(verdict.isValid)
        #expect(verdict.version == "STSv1")
        #expect(verdict.mode == .enforce)
        #expect(verdict.maxAge == 604_800)
        #expect(verdict.mx == ["mail.example.com", "*.example.net"])
        #expect(verdict.findings.isEmpty)
    }

    /// Boundary: LF and CRLF terminators (erratum 6253), mixed, trailing terminator optional.
    @Test func section3_crlfAndLFAreBothValid() {
        let crlf = good.replacing("\n", with: "\r\n")
        #expect(evaluate(crlf).isValid)
        #expect(evaluate(crlf).mx == ["mail.example.com", "*.example.net"])
        #expect(evaluate(String(good.dropLast())).isValid)
        #expect(evaluate("version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 86400").isValid)
    }

    @Test func section3_bareCRIsNotATerminator() {
        #expect(codes("version: STSv1\rmode: none\nmax_age: 86400\n").contains(.policySyntax))
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\r") == [.policySyntax, .policyMissingMaxAge])
    }

    @Test func section3_fieldOrderIsFree() {
        let verdict = evaluate("max_age: 86400\nmx: a.example.com\nmode: testing\nversion: STSv1")
        #expect(verdict.isValid)
        #expect(verdict.mode == .testing)
    }

    @Test func section3_whitespaceAfterColonAndAtLineEnd() {
        #expect(evaluate("version:STSv1\nmode:\tenforce  \nmx: a.example.com \t\nmax_age:   86400\n").isValid)
    }

    @Test func section3_spaceBeforeColonLeadingWhitespaceAndNoColonAreInvalid() {
        #expect(codes("version : STSv1\nmode: none\nmax_age: 86400\n") == [.policySyntax, .policyMissingVersion])
        #expect(codes(" version: STSv1\nmode: none\nmax_age: 86400\n") == [.policySyntax, .policyMissingVersion])
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\nhello world\n") == [.policySyntax])
        let detail = evaluate("version: STSv1\nmode: none\nmax_age: 86400\nhello world\n").findings[0].detail
        #expect(detail.hasPrefix("line 4:"))
        #expect(detail.contains("hello world"))
    }

    /// [choice] blank lines: warning, policy stays valid.
    @Test func section3_blankLineIsAWarning() {
        let verdict = evaluate("version: STSv1\n\nmode: none\nmax_age: 86400\n")
        #expect(verdict.isValid)
        #expect(verdict.findings.map(\.code) == [.policyBlankLine])
        #expect(verdict.findings[0].detail == "line 2")
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\n\n") == [.policyBlankLine])
        #expect(codes("version: STSv1\r\n\r\nmode: none\r\nmax_age: 86400\r\n") == [.policyBlankLine])
    }

    /// Boundary: repeated non-mx fields, first occurrence wins.
    @Test func section3_duplicateFieldFirstWins() {
        let verdict = evaluate("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example.com\nmax_age: 86400\nmax_age: 5\n")
        #expect(verdict.isValid)
        #expect(verdict.mode == .testing)
        #expect(verdict.maxAge == 86400)
        #expect(verdict.findings.map(\.code) == [.policyDuplicateField, .policyDuplicateField])
        let firstBad = evaluate("version: STSv1\nmode: Enforce\nmode: enforce\nmx: a.example.com\nmax_age: 86400\n")
        #expect(!firstBad.isValid)
        #expect(firstBad.mode == nil)
        #expect(firstBad.findings.map(\.code) == [.policyBadMode, .policyDuplicateField])
    }

    @Test func section3_repeatedMXFormsTheList() {
        let lines = ["version: STSv1", "mode: enforce", "max_age: 86400"] + (1...3).map { "mx: mx\($0).example.com" }
        let verdict = evaluate(lines.joined(separator: "\n"))
        #expect(verdict.isValid)
        #expect(verdict.mx == ["mx1.example.com", "mx2.example.com", "mx3.example.com"])
    }

    @Test func section3_unknownFieldsAndCaseSensitiveKeys() {
        let verdict = evaluate("version: STSv1\nMode: enforce\nmode: none\nmax_age: 86400\nfoo: bar baz\n")
        #expect(verdict.isValid)
        #expect(verdict.findings.map(\.code) == [.policyUnknownField, .policyUnknownField])
        #expect(codes("version: STSv1\nMode: enforce\nmx: a.example.com\nmax_age: 86400\n")
            == [.policyUnknownField, .policyMissingMode])
    }

    @Test func section3_extensionFieldGrammar() {
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\nfoo:\n") == [.policySyntax])             // empty value
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\nfoo bar: x\n") == [.policySyntax])       // name
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\nfoo: a\tb\n") == [.policySyntax])        // CTL inside
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\nnote: grüße\n") == [.policyUnknownField]) // UTF-8 ok
    }

    @Test func section3_versionAndModeValuesAreCaseSensitive() {
        #expect(codes("version: stsv1\nmode: none\nmax_age: 86400\n") == [.policyBadVersion])
        #expect(codes("version: STSv2\nmode: none\nmax_age: 86400\n") == [.policyBadVersion])
        #expect(codes("version: STSv1\nmode: ENFORCE\nmx: a.example.com\nmax_age: 86400\n") == [.policyBadMode])
        #expect(codes("version: STSv1\nmode: reject\nmx: a.example.com\nmax_age: 86400\n") == [.policyBadMode])
    }

    @Test func section3_requiredFields() {
        #expect(codes("mode: none\nmax_age: 86400\n") == [.policyMissingVersion])
        #expect(codes("version: STSv1\nmax_age: 86400\nmx: a.example.com\n") == [.policyMissingMode])
        #expect(codes("version: STSv1\nmode: none\n") == [.policyMissingMaxAge])
    }

    @Test func section3_mxRequiredUnlessModeNone() {
        #expect(codes("version: STSv1\nmode: enforce\nmax_age: 86400\n") == [.policyMissingMX])
        #expect(codes("version: STSv1\nmode: testing\nmax_age: 86400\n") == [.policyMissingMX])
        #expect(evaluate("version: STSv1\nmode: none\nmax_age: 86400\n").isValid)
    }

    /// Boundary: 31557600 valid, 31557601 invalid; 0 and leading zeros valid.
    @Test func section3_maxAgeUpperBound() {
        let top = evaluate("version: STSv1\nmode: none\nmax_age: 31557600\n")
        #expect(top.isValid)
        #expect(top.maxAge == 31_557_600)
        let over = evaluate("version: STSv1\nmode: none\nmax_age: 31557601\n")
        #expect(!over.isValid)
        #expect(over.maxAge == nil)
        #expect(over.findings.map(\.code) == [.policyMaxAge])
        #expect(evaluate("version: STSv1\nmode: none\nmax_age: 0000604800\n").maxAge == 604_800)
        let zero = evaluate("version: STSv1\nmode: none\nmax_age: 0\n")
        #expect(zero.isValid)
        #expect(zero.maxAge == 0)
        #expect(zero.findings.map(\.code) == [.policyMaxAgeLow])
    }

    /// Boundary: 1*10(DIGIT): 10 digits parse (and may exceed the maximum), 11 are syntax.
    @Test func section3_maxAgeDigitCount() {
        #expect(codes("version: STSv1\nmode: none\nmax_age: 0031557600\n").isEmpty)
        #expect(codes("version: STSv1\nmode: none\nmax_age: 9999999999\n") == [.policyMaxAge])
        #expect(codes("version: STSv1\nmode: none\nmax_age: 00000086400\n") == [.policyMaxAgeSyntax])
        #expect(codes("version: STSv1\nmode: none\nmax_age: -1\n") == [.policyMaxAgeSyntax])
        #expect(codes("version: STSv1\nmode: none\nmax_age: 1e6\n") == [.policyMaxAgeSyntax])
        #expect(codes("version: STSv1\nmode: none\nmax_age:\n") == [.policyMaxAgeSyntax])
    }

    @Test func section3_maxAgeLowWarning() {
        let verdict = evaluate("version: STSv1\nmode: none\nmax_age: 86399\n")
        #expect(verdict.isValid)
        #expect(verdict.findings.map(\.code) == [.policyMaxAgeLow])
        #expect(codes("version: STSv1\nmode: none\nmax_age: 86400\n").isEmpty)
    }

    @Test func section3_modeAndMaxAgeReportedForInvalidPolicy() {
        let verdict = evaluate("version: STSv2\nmode: testing\nmax_age: 86400\n")
        #expect(!verdict.isValid)
        #expect(verdict.mode == .testing)
        #expect(verdict.maxAge == 86400)
        #expect(verdict.findings.map(\.code) == [.policyBadVersion, .policyMissingMX])
    }

    @Test func section3_mxPatternSyntax() {
        func mxCodes(_ pattern: String) -> [FindingCode] {
            codes("version: STSv1\nmode: enforce\nmax_age: 86400\nmx: \(pattern)\n")
        }
        #expect(mxCodes("mail.example.com").isEmpty)
        #expect(mxCodes("*.example.com").isEmpty)
        #expect(mxCodes("xn--mnchen-3ya.de").isEmpty)
        #expect(mxCodes("mail.example.com.") == [.policyBadMX])   // no trailing dot
        #expect(mxCodes("*.*.example.com") == [.policyBadMX])
        #expect(mxCodes("mail.*.com") == [.policyBadMX])
        #expect(mxCodes("*example.com") == [.policyBadMX])
        #expect(mxCodes("-mail.example.com") == [.policyBadMX])
        #expect(mxCodes("mail_1.example.com") == [.policyBadMX])
        #expect(mxCodes(String(repeating: "a", count: 64) + ".example.com") == [.policyBadMX])
        #expect(mxCodes("") == [.policyBadMX])
    }

    /// IDN patterns must be A-labels; the finding suggests the A-label form.
    @Test func section3_ulabelMXPatternIsBadWithAdvice() {
        let verdict = evaluate("version: STSv1\nmode: enforce\nmax_age: 86400\nmx: mail.münchen.de\n")
        #expect(verdict.findings.map(\.code) == [.policyBadMX])
        #expect(verdict.findings[0].detail.contains("mail.xn--mnchen-3ya.de"))
    }

    @Test func section3_emptyBody() {
        #expect(codes("") == [.policyEmpty])
        #expect(codes(" \r\n\n") == [.policyEmpty])
    }

    @Test func section3_htmlBody() {
        for body in ["<!DOCTYPE html><html></html>", "\n  <html><body>404</body></html>", "<script>alert(1)</script>"] {
            #expect(codes(body) == [.policyHTML], "\(body)")
        }
    }

    /// Binary bytes: invalid UTF-8 and control bytes other than CR, LF, TAB.
    @Test func section3_binaryBody() {
        #expect(PolicyParser.evaluate([0x76, 0xFF, 0xFE, 0x0A]).findings.map(\.code) == [.policyInvalidUTF8])
        let nul = PolicyParser.evaluate(Array("version: STSv1\nmode: none\u{0}\n".utf8))
        #expect(nul.findings.map(\.code) == [.policyInvalidUTF8])
        #expect(nul.findings[0].detail.contains("line 2"))
        #expect(nul.findings[0].detail.contains("\\x00"))
        #expect(codes("version: STSv1\nmode: none\u{1b}[2J\n") == [.policyInvalidUTF8])
        #expect(codes("version: STSv1\nmode: none\u{85}\n") == [.policyInvalidUTF8])   // C1 NEL
        #expect(PolicyParser.evaluate([0xC0, 0x80]).findings.map(\.code) == [.policyInvalidUTF8])  // overlong
        let random = (0..<4096).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        #expect(!PolicyParser.evaluate(random).isValid)
    }

    @Test func section3_byteOrderMarkIsSyntaxButFieldsRead() {
        let verdict = PolicyParser.evaluate([0xEF, 0xBB, 0xBF] + Array("version: STSv1\nmode: none\nmax_age: 86400\n".utf8))
        #expect(verdict.findings.map(\.code) == [.policySyntax])
        #expect(verdict.version == "STSv1")
    }

    @Test func findingsPerCodeAreCapped() {
        let lines = ["version: STSv1", "mode: none", "max_age: 86400"] + Array(repeating: "junk", count: 1000)
        let verdict = evaluate(lines.joined(separator: "\n"))
        #expect(verdict.findings.count == FindingCollector.capPerCode + 1)
        #expect(verdict.findings.last?.detail == "995 more like this")
    }

    /// A 10,000-line mx policy must be handled in linear time.
    @Test func tenThousandMXLinesAreFast() {
        let lines = ["version: STSv1", "mode: enforce", "max_age: 604800"] + (0..<10_000).map { "mx: mx\($0).example.com" }
        let body = Array(lines.joined(separator: "\r\n").utf8)
        let clock = ContinuousClock()
        var verdict: PolicyVerdict?
        let elapsed = clock.measure { verdict = PolicyParser.evaluate(body) }
        #expect(verdict?.isValid == true)
        #expect(verdict?.mx.count == 10_000)
        // Generous for debug builds on a loaded machine; a quadratic parser takes minutes.
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test func oneMegabyteBodyIsHandled() {
        let filler = String(repeating: "x", count: 1 << 20)
        let verdict = evaluate("version: STSv1\nmode: none\nmax_age: 86400\nnote: \(filler)\n")
        #expect(verdict.isValid)
        #expect(verdict.findings.map(\.code) == [.policyUnknownField])
        let oneLine = evaluate(filler)
        #expect(oneLine.findings.first?.code == .policySyntax)
        #expect(oneLine.findings.first!.detail.count < 200)
    }
}
