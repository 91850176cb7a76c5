import Foundation
import Testing
@testable import STSCore

/// docs/findings.md documents the vocabulary for users: it must list every code with its
/// severity, stage, result type and summary, and nothing else.
@Suite struct FindingsDocTests {
    private struct Row { let severity, stage, resultType, summary: String }

    private func rows() throws -> [String: Row] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/findings.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [String: Row] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            #expect(cells.count == 6, "malformed row: \(line)")
            guard cells.count == 6 else { continue }
            let code = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            #expect(rows[code] == nil, "duplicate row for \(code)")
            rows[code] = Row(severity: cells[1], stage: cells[2], resultType: cells[3],
                             summary: cells[4].replacingOccurrences(of: "\\|", with: "|"))
        }
        return rows
    }

    @Test func everyCodeIsDocumentedExactly() throws {
        let rows = try rows()
        for code in FindingCode.allCases {
            guard let row = rows[code.rawValue] else {
                Issue.record("docs/findings.md lacks a row for \(code.rawValue)")
                continue
            }
            #expect(row.severity == code.severity.rawValue, "\(code.rawValue)")
            #expect(row.stage == code.stage.rawValue, "\(code.rawValue)")
            #expect(row.resultType == code.resultType.rawValue, "\(code.rawValue)")
            #expect(row.summary == code.summary, "\(code.rawValue)")
        }
        let known = Set(FindingCode.allCases.map(\.rawValue))
        for documented in rows.keys {
            #expect(known.contains(documented), "docs/findings.md documents unknown code \(documented)")
        }
    }
}
