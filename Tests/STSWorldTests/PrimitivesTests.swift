import Testing
@testable import STSWorld

/// The generator's building blocks: PRNG, IDN names, CSV, zone text.
struct PrimitivesTests {
    @Test func splitMixMatchesReference() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func splitMixBelowStaysInRange() {
        var rng = SplitMix64(seed: 9)
        for bound in [1, 2, 7, 1000] {
            for _ in 0..<200 { #expect((0..<bound).contains(rng.below(bound))) }
        }
    }

    @Test(arguments: [("bücher", "xn--bcher-kva"), ("münchen", "xn--mnchen-3ya"), ("пример", "xn--e1afmkfd"),
                      ("рф", "xn--p1ai"), ("example", "example"), ("straße", "xn--strae-oqa")])
    func idnLabelsUseLibidn2(_ pair: (String, String)) {
        #expect(DomainNamer.aLabel(pair.0) == pair.1)
    }

    @Test func csvRoundTripsQuotedCells() {
        let cells = ["a", "b,c", "say \"hi\"", ""]
        #expect(CSV.split(String(CSV.join(cells).dropLast())) == cells)
    }

    @Test func zoneTextEscapesAndSplits() {
        #expect(ZoneText.quoted(["a\"b\\c"]) == "\"a\\\"b\\\\c\"")
        #expect(ZoneText.quoted(["\u{1B}x"]) == "\"\\027x\"")
        let long = String(repeating: "x", count: 300)
        #expect(ZoneText.quoted([long]) == "\"\(String(repeating: "x", count: 255))\" \"\(String(repeating: "x", count: 45))\"")
    }

    /// Commands printed as hints read back as the same words in a shell.
    @Test func shellQuoting() {
        #expect(ShellQuote.word("/tmp/resolver-1") == "/tmp/resolver-1")
        #expect(ShellQuote.word("/tmp/my resolver") == "'/tmp/my resolver'")
        #expect(ShellQuote.word("/tmp/it's") == "'/tmp/it'\\''s'")
        #expect(ShellQuote.word("$HOME") == "'$HOME'")
        #expect(ShellQuote.word("") == "''")
    }
}
