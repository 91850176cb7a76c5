import Testing
@testable import STSCore

/// The finding vocabulary is data in every database: keep it well-formed.
@Suite struct FindingCatalogTests {
    @Test func codesAreKebabCaseAndUnique() {
        let codes = FindingCode.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil, "\(code)")
        }
    }

    @Test func everyCodeHasASummaryAndErrorsHaveAdvice() {
        for code in FindingCode.allCases {
            #expect(!code.summary.isEmpty, "\(code.rawValue)")
            if code.severity == .error { #expect(!code.advice.isEmpty, "\(code.rawValue)") }
        }
    }

    /// rfc8461-8460-rules.md §7: primary finding is the first error in data-path order.
    @Test func primaryErrorFollowsStageOrder() {
        let findings = [Finding(.tlsrptMissingRUA), Finding(.policyBlankLine), Finding(.httpNotFound), Finding(.txtCNAME)]
        #expect(findings.primaryError?.code == .httpNotFound)
        #expect(!findings.isValid)
        #expect([Finding(.policyBlankLine)].primaryError == nil)
        #expect([Finding(.policyBlankLine)].isValid)
    }
}
