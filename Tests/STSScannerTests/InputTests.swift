import Foundation
import Testing
@testable import STSScanner

@Suite struct InputTests {
    @Test func plainCSVCommentsAndBlankLines() {
        #expect(InputLineParser.parse(ArraySlice("example.com".utf8)) == .entry(rank: nil, raw: "example.com", problem: nil))
        #expect(InputLineParser.parse(ArraySlice("12,example.org".utf8)) == .entry(rank: 12, raw: "example.org", problem: nil))
        #expect(InputLineParser.parse(ArraySlice("12,example.org,extra".utf8)) == .entry(rank: 12, raw: "example.org", problem: nil))
        #expect(InputLineParser.parse(ArraySlice("  # comment".utf8)) == .skip)
        #expect(InputLineParser.parse(ArraySlice("\r".utf8)) == .skip)
        #expect(InputLineParser.parse(ArraySlice("rank,domain".utf8)) == .skip)
        // Issue 23: a plain list's `domain` header, only as its first entry.
        #expect(InputLineParser.parse(ArraySlice("Domain\r".utf8), firstEntry: true) == .skip)
        #expect(InputLineParser.parse(ArraySlice("domain".utf8)) == .entry(rank: nil, raw: "domain", problem: nil))
        #expect(InputLineParser.parse(ArraySlice("example.net  # note".utf8)) == .entry(rank: nil, raw: "example.net", problem: nil))
        #expect(InputLineParser.parse(ArraySlice("example.com\r".utf8)) == .entry(rank: nil, raw: "example.com", problem: nil))
    }

    @Test func malformedLinesBecomeEntriesWithAProblem() {
        guard case let .entry(rank, _, problem) = InputLineParser.parse(ArraySlice("x,example.org".utf8)) else {
            Issue.record("expected an entry"); return
        }
        #expect(rank == nil && problem != nil)
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)
        guard case let .entry(_, raw, longProblem) = InputLineParser.parse(long[...]) else {
            Issue.record("expected an entry"); return
        }
        #expect(longProblem != nil && raw.count < 100)
    }

    @Test func readerStreamsPositionsAndHashes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-input-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        var text = "# list\n1,a.example\n\n2,b.example\r\n"
        text += String(repeating: "z", count: 20_000) + "\n3,c.example"  // over-long line, no final newline
        try Data(text.utf8).write(to: url)
        let reader = try InputReader(path: url.path)
        var entries: [InputEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        #expect(entries.map(\.position) == [0, 1, 2, 3])
        #expect(entries.map(\.raw).first == "a.example")
        #expect(entries[2].problem != nil)
        #expect(entries[3].rank == 3 && entries[3].raw == "c.example" && entries[3].line == 6)
        #expect(reader.sha256Hex().count == 64)
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: InputError.self) { try InputReader(path: "/nonexistent/list.txt") }
    }
}
