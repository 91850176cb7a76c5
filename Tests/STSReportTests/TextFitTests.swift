import STSReport
import Testing

/// The text format's tables aim at `TextRenderer.fitWidth` columns (docs/reports.md): the
/// widest text columns are cut first, numbers never, and a table that cannot fit is left whole.
@Suite struct TextFitTests {
    static func table(_ columns: [String], _ rows: [[ReportValue]]) -> ReportTable {
        ReportTable(id: "t", title: "t", description: "", sql: "", columns: columns, rows: rows)
    }

    @Test func widestTextColumnsAreCutToFit() {
        let long = String(repeating: "x", count: 70)
        let section = Self.table(["domain", "before", "after", "n"],
                                 [[.text("a.example"), .text(long), .text(long), .integer(123_456)]])
        let text = TextRenderer.table(section, fitWidth: 120)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(lines.map(\.count))")
        // Both long columns were cut evenly and marked; the number is whole.
        #expect(lines[2].components(separatedBy: "...").count == 3 && lines[2].hasSuffix("123456"), "\(lines[2])")
        // Without a width (the `sql` command, or a fitting table) nothing is cut but the 72 cap.
        #expect(!TextRenderer.table(section).contains("..."))
    }

    @Test func aTableThatCannotFitIsLeftWhole() {
        let numbers = (0..<12).map { "count_\($0)_column" }
        let section = Self.table(["note"] + numbers,
                                 [[.text("no: shard, counted in whole-list scan 1")] + numbers.map { _ in .integer(1) }])
        let text = TextRenderer.table(section, fitWidth: 120)
        #expect(text.contains("no: shard, counted in whole-list scan 1"))
    }
}
