import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §4: MX host matching (RFC 8461 §4.1, Appendix B).
@Suite struct MXMatcherTests {
    @Test func section4_exactMatch() {
        #expect(MXMatcher.matches(pattern: "mail.example.com", host: "mail.example.com"))
        #expect(!MXMatcher.matches(pattern: "mail.example.com", host: "mail2.example.com"))
    }

    /// Boundary: the wildcard is exactly one label: `*.a.b` covers `x.a.b`, not `x.y.a.b`, not `a.b`.
    @Test func section4_wildcardIsOneLabel() {
        #expect(MXMatcher.matches(pattern: "*.a.b", host: "x.a.b"))
        #expect(!MXMatcher.matches(pattern: "*.a.b", host: "x.y.a.b"))
        #expect(!MXMatcher.matches(pattern: "*.a.b", host: "a.b"))
        #expect(!MXMatcher.matches(pattern: "*.a.b", host: ".a.b"))
        #expect(!MXMatcher.matches(pattern: "*.example.com", host: "mail.example.org"))
    }

    @Test func section4_caseInsensitiveAndRootDot() {
        #expect(MXMatcher.matches(pattern: "Mail.Example.COM", host: "mail.example.com."))
        #expect(MXMatcher.matches(pattern: "*.EXAMPLE.com", host: "MX1.example.COM."))
        #expect(!MXMatcher.matches(pattern: "mail.example.com", host: "mail.example.com.."))
    }

    /// U-labels are converted to A-labels on both sides before comparing.
    @Test func section4_idnPatternsAndHosts() {
        #expect(MXMatcher.matches(pattern: "mail.xn--mnchen-3ya.de", host: "mail.münchen.de"))
        #expect(MXMatcher.matches(pattern: "mail.münchen.de", host: "MAIL.XN--MNCHEN-3YA.DE."))
        #expect(MXMatcher.matches(pattern: "*.münchen.de", host: "mx.xn--mnchen-3ya.de"))
        #expect(MXMatcher.matches(pattern: "*.xn--mnchen-3ya.de", host: "mx.MÜNCHEN.de."))
        #expect(!MXMatcher.matches(pattern: "*.münchen.de", host: "mx.munchen.de"))
    }

    /// §4: matching answers for any name; an empty, single-label or malformed host matches
    /// nothing, even a pattern spelled the same, and `hostProblem` says why.
    @Test func section4_malformedHostsMatchNothing() {
        for (pattern, host) in [("*.x", "*.x"), ("x", "x"), ("localhost", "localhost."), ("*.example.com", ""),
                                ("*.example.com", "."), ("example.com", ".example.com"), ("*.example.com", ".x"),
                                ("a..b", "a..b"), ("a_b.example.com", "a_b.example.com"), ("*.b", "*.*.b"),
                                ("-a.example.com", "-a.example.com")] {
            #expect(!MXMatcher.matches(pattern: pattern, host: host), "\(pattern) \(host)")
            #expect(MXMatcher.hostProblem(host) != nil, "\(host)")
        }
        #expect(MXMatcher.hostProblem("") == "the name is empty")
        #expect(MXMatcher.hostProblem("x")?.contains("one label") == true)
        #expect(MXMatcher.hostProblem("*.x")?.contains("\"*\"") == true)
        for host in ["mx.example.com", "MX.Example.COM.", "mx.münchen.de", "a.b"] {
            #expect(MXMatcher.hostProblem(host) == nil, "\(host)")
        }
    }

    @Test func section4_malformedHostIsUncoveredWithAFinding() {
        let verdict = MXMatcher.evaluate(patterns: ["localhost", "*.example.com"], mxHosts: ["localhost.", "mx.example.com"])
        #expect(verdict.coverage == .some)
        #expect(verdict.covered == [false, true])
        #expect(verdict.findings.map(\.code) == [.mxPartlyCovered, .mxHostInvalid])
        #expect(verdict.findings[1].detail.hasPrefix("\"localhost.\""))
    }

    @Test func section4_coverageAllSomeNone() {
        let patterns = ["mx1.example.com", "*.backup.example.net"]
        let all = MXMatcher.evaluate(patterns: patterns, mxHosts: ["mx1.example.com.", "b1.backup.example.net."])
        #expect(all.coverage == .all)
        #expect(all.covered == [true, true])
        #expect(all.findings.isEmpty)

        let some = MXMatcher.evaluate(patterns: patterns, mxHosts: ["mx2.example.com", "mx1.example.com"])
        #expect(some.coverage == .some)
        #expect(some.covered == [false, true])
        #expect(some.findings.map(\.code) == [.mxPartlyCovered])
        #expect(some.findings[0].detail.contains("mx2.example.com"))
        #expect(some.findings[0].severity == .warning)

        let none = MXMatcher.evaluate(patterns: patterns, mxHosts: ["a.b.backup.example.net", "example.com"])
        #expect(none.coverage == .none)
        #expect(none.covered == [false, false])
        #expect(none.findings.map(\.code) == [.mxNotCovered])
        #expect(none.findings[0].severity == .error)
    }

    @Test func section4_noHostsIsVacuouslyAll() {
        let verdict = MXMatcher.evaluate(patterns: ["a.example.com"], mxHosts: [])
        #expect(verdict.coverage == .all)
        #expect(verdict.covered.isEmpty)
        #expect(verdict.findings.isEmpty)
    }

    @Test func section4_evaluateAgreesWithMatches() {
        let patterns = ["*.a.b", "c.d", "*.münchen.de"]
        let hosts = ["x.a.b", "x.y.a.b", "a.b", "C.D.", "mx.xn--mnchen-3ya.de", "d"]
        let verdict = MXMatcher.evaluate(patterns: patterns, mxHosts: hosts)
        let expected = hosts.map { host in patterns.contains { MXMatcher.matches(pattern: $0, host: host) } }
        #expect(verdict.covered == expected)
        #expect(verdict.covered == [true, false, false, true, true, false])
    }

    @Test func manyPatternsAreFast() {
        let patterns = (0..<10_000).map { "mx\($0).example.com" }
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let verdict = MXMatcher.evaluate(patterns: patterns, mxHosts: ["mx9999.example.com", "other.example.com"])
            #expect(verdict.covered == [true, false])
        }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
    }

    /// DNS hands MX records out in any order: the details list hosts sorted, so the same
    /// domain's finding is the same text in every scan.
    @Test func uncoveredHostsAreListedSorted() {
        let hosts = ["mx3.other.net", "mx1.other.net.", "b.other.net", "-bad-.other.net", "x"]
        var generator = SystemRandomNumberGenerator()
        let first = MXMatcher.evaluate(patterns: ["mx.example.com"], mxHosts: hosts)
        #expect(first.findings.first == Finding(.mxNotCovered, "uncovered: -bad-.other.net, b.other.net, mx1.other.net., mx3.other.net, x"))
        for _ in 0..<20 {
            let shuffled = hosts.shuffled(using: &generator)
            #expect(MXMatcher.evaluate(patterns: ["mx.example.com"], mxHosts: shuffled).findings == first.findings)
        }
        let some = MXMatcher.evaluate(patterns: ["*.example.com"], mxHosts: ["z.other.net", "mx.example.com", "a.other.net"])
        #expect(some.findings == [Finding(.mxPartlyCovered, "uncovered: a.other.net, z.other.net")])
        #expect(some.covered == [false, true, false], "covered stays in the hosts' order")
    }
}
