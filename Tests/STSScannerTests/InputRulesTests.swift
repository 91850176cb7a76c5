import Foundation
import STSCore
import Testing
@testable import STSScanner

/// Issue 13: input rules as datasets/README.md states them, whatever a line's length, and
/// a reader that never ignores Ctrl-C (an idle pipe, an endless line).
@Suite struct InputRulesTests {
    func entries(_ text: [UInt8]) throws -> [InputEntry] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-rules-\(UUID()).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(text).write(to: url)
        let reader = try InputReader(path: url.path)
        var result: [InputEntry] = []
        while let entry = try reader.next() { result.append(entry) }
        return result
    }

    /// Comment and blank lines stay skipped over 4,096 bytes (also past the reader's 8 KiB
    /// cut); a long line with content after its blanks is still one invalid entry.
    @Test func longCommentAndBlankLinesAreSkipped() throws {
        let long = InputLineParser.maxLineBytes
        var text = "a.example\n"
        text += "#" + String(repeating: "c", count: long * 3) + "\n"          // comment, cut by the reader
        text += "   # " + String(repeating: "c", count: long + 10) + "\n"      // comment, parser only
        text += String(repeating: " ", count: long * 5) + "\n"                // blank, cut by the reader
        text += String(repeating: "\t ", count: long) + "\r\n"                // blank, just over the cap
        text += String(repeating: " ", count: long * 3) + "b.example\n"       // content after 12 KiB of blanks
        text += String(repeating: "x", count: long + 1) + "\n"                // overlong content
        text += "c.example\n"
        let found = try entries(Array(text.utf8))
        #expect(found.map(\.position) == [0, 1, 2, 3])
        #expect(found[0].raw == "a.example" && found[0].problem == nil)
        #expect(found[1].raw == "b.example" && found[1].problem == nil)
        #expect(found[2].problem != nil)
        #expect(found[3].raw == "c.example" && found[3].line == 8)
        #expect(InputLineParser.parse(ArraySlice(("#" + String(repeating: "x", count: 9000)).utf8)) == .skip)
        #expect(InputLineParser.parse(ArraySlice(String(repeating: " ", count: 9000).utf8)) == .skip)
    }

    /// Invalid names keep their text but not raw NUL bytes (many SQLite clients cut a TEXT
    /// at NUL), as policy bodies already do.
    @Test func nulBytesOfInvalidNamesAreReplaced() async throws {
        let found = try entries(Array("bad\u{0}name.example\n".utf8))
        let (result, _) = await DomainProbe(engine: ScriptedEngine()).probe(found[0])
        #expect(result.primaryError?.code == .inputInvalidName)
        let record = result
        #expect(!record.domain.utf8.contains(0) && !record.input.utf8.contains(0))
        #expect(record.domain == "bad\u{FFFD}name.example")
    }

    /// A pipe that pauses: `nextAvailable` says so instead of blocking, then delivers.
    @Test func pausingPipeIsNotYetThenDelivers() throws {
        let fifo = try Fifo()
        defer { fifo.remove() }
        let reader = try InputReader(path: fifo.path)
        guard case .notYet = try reader.nextAvailable() else { Issue.record("expected notYet"); return }
        fifo.write("a.example\nb.exa")
        guard case .entry(let first) = try reader.nextAvailable() else { Issue.record("expected an entry"); return }
        #expect(first.raw == "a.example")
        guard case .notYet = try reader.nextAvailable() else { Issue.record("half a line is not an entry"); return }
        fifo.write("mple\n")
        guard case .entry(let second) = try reader.nextAvailable() else { Issue.record("expected an entry"); return }
        #expect(second.raw == "b.example" && second.position == 1)
    }

    /// `/dev/zero` is one endless line: cancelling the reading task ends it promptly.
    @Test func endlessLineObeysCancellation() async throws {
        let task = Task.detached { () -> (InputEntry?, Int) in
            let reader = try InputReader(path: "/dev/zero")
            return (try reader.next(), reader.bytesRead)
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        let (entry, bytes) = try await task.value
        #expect(ContinuousClock.now - cancelled < .seconds(2))
        #expect(entry == nil && bytes > 0)
    }
}

/// A named pipe with a writer held open by the test (so opening it to read never blocks).
final class Fifo: @unchecked Sendable {
    let path: String
    private let writer: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-fifo-\(UUID())").path
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        writer = open(path, O_RDWR)
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(writer, $0.baseAddress, $0.count) }
    }

    func remove() {
        close(writer)
        unlink(path)
    }
}
