import Testing
@testable import STSCore

/// Finding details must be short and safe to print.
@Suite struct DetailTextTests {
    @Test func escapesControlCharactersAndBidi() {
        #expect(DetailText.sanitize("a\u{1b}[31mb\u{0}\t\n") == "a\\x1b[31mb\\x00\\t\\n")
        #expect(DetailText.sanitize("x\u{202E}y") == "x\\u{202e}y")
        #expect(DetailText.sanitize("\u{9b}") == "\\x9b")
        #expect(DetailText.sanitize("grüße") == "grüße")
    }

    @Test func truncates() {
        let text = String(repeating: "a", count: 100)
        #expect(DetailText.sanitize(text) == String(repeating: "a", count: 80) + "...")
        #expect(DetailText.sanitize(text, limit: 100) == text)
    }

    @Test func invalidUTF8BytesStayVisible() {
        #expect(DetailText.sanitize(bytes: [0x61, 0xFF, 0xC3, 0xBC, 0xC3]) == "a\\xffü\\xc3")
        #expect(DetailText.sanitize(bytes: Array(repeating: 0x62, count: 200), limit: 3) == "bbb...")
    }
}
