import Testing
@testable import STSCore

/// IDNA (libidn2) and input-name normalisation; §4 requires A-labels before comparing.
@Suite struct NamesTests {
    @Test func idnaConvertsULabels() {
        #expect(IDNA.toASCII("münchen.de") == "xn--mnchen-3ya.de")
        #expect(IDNA.toASCII("MÜNCHEN.DE") == "xn--mnchen-3ya.de")
        #expect(IDNA.toASCII("Example.COM") == "example.com")
        // Non-transitional: ß stays a distinct character (not "ss").
        #expect(IDNA.toASCII("faß.de") == "xn--fa-hia.de")
    }

    @Test func idnaRejectsUnconvertible() {
        #expect(IDNA.toASCII("a\u{0}b.de") == nil || IDNA.toASCII("a\u{0}b.de") == "a\u{0}b.de")
        #expect(IDNA.toASCII("\u{FFFD}.de") == nil)
    }

    @Test func normalizeCanonicalForm() throws {
        #expect(try DomainName.normalize("  Example.COM.\n").get() == "example.com")
        #expect(try DomainName.normalize("münchen.de").get() == "xn--mnchen-3ya.de")
        #expect(try DomainName.normalize("a-b.c0.example").get() == "a-b.c0.example")
    }

    @Test func normalizeRejections() {
        func reason(_ raw: String) -> DomainNameError.Reason? {
            if case .failure(let error) = DomainName.normalize(raw) { return error.reason }
            return nil
        }
        #expect(reason("") == .empty)
        #expect(reason(" . ") == .empty)
        #expect(reason("localhost") == .singleLabel)
        #expect(reason("a..b") == .emptyLabel)
        #expect(reason(".a.b") == .emptyLabel)
        #expect(reason("example.com..") == .emptyLabel)
        #expect(reason("-a.example") == .hyphenAtLabelEdge)
        #expect(reason("a-.example") == .hyphenAtLabelEdge)
        #expect(reason("a_b.example") == .badCharacter("_"))
        #expect(reason("1.2.3.4") == .numericTopLevel)
        #expect(reason(String(repeating: "a", count: 64) + ".com") == .labelTooLong)
        #expect(reason(String(repeating: "a", count: 63) + ".com") == nil)
        let label = String(repeating: "a", count: 63)
        let long = [label, label, label, String(repeating: "b", count: 62)].joined(separator: ".")   // 254
        #expect(reason(long) == .tooLong(254))
        #expect(reason(String(long.dropFirst())) == nil)                                              // 253
    }

    @Test func errorDescriptionIsClearAndEscaped() {
        guard case .failure(let error) = DomainName.normalize("bad\u{1b}[31m.com") else {
            Issue.record("expected a failure")
            return
        }
        #expect(!error.description.contains("\u{1b}"))
        #expect(error.description.contains("not allowed"))
    }
}
