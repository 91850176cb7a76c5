import Foundation
import Testing

/// docs/findings.md is read offline and archived with the data: it links to nothing outside
/// the repository (URLs appear as code, never as links a renderer would follow).
@Suite struct FindingsDocLinkTests {
    @Test func findingsDocLinksOnlyInsideTheRepository() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/findings.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Outside `code spans`, nothing a Markdown renderer turns into a remote link.
            let prose = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ")
            for pattern in ["http://", "https://", "www.", "](http", "<http"] {
                #expect(!prose.contains(pattern), "docs/findings.md line \(number + 1) links outside: \(line)")
            }
            for target in prose.components(separatedBy: "](").dropFirst() {
                #expect(!target.contains("://"), "docs/findings.md line \(number + 1): \(line)")
            }
        }
    }
}
