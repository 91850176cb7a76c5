import Foundation
import STSCore
import Testing
@testable import STSReport

/// The report and diff SQL compare status columns with string literals; every such literal
/// must be a value of the column's vocabulary enum (whose raw values are the schema's CHECK
/// lists, `RowSchemaTests`), so a misspelt or renamed value fails here instead of silently
/// counting nothing.
@Suite struct VocabularySQLTests {
    static func values<E: CaseIterable & RawRepresentable>(_: E.Type) -> Set<String> where E.RawValue == String {
        Set(E.allCases.map(\.rawValue))
    }

    /// Column (or alias) name -> the values it may hold.
    static let vocabularies: [String: Set<String>] = [
        "mx_status": values(MXStatus.self),
        "sts_record": values(RecordStatus.self), "tlsrpt_record": values(RecordStatus.self),
        "policy_status": values(PolicyStatus.self), "mode": values(PolicyMode.self),
        "mx_coverage": values(MXCoverage.self), "delivery": values(Delivery.self),
        "severity": values(Severity.self), "stage": values(Stage.self), "result_type": values(ResultType.self),
        "code": values(FindingCode.self), "error_code": values(FindingCode.self),
        "outcome": values(FindingCode.self).union(["ok"]),
    ]

    /// `(column, literal)` for every `column = 'x'`, `IS`, `<>`, `IN (...)`, `NOT IN (...)` in `sql`.
    static func comparisons(in sql: String) throws -> [(column: String, value: String)] {
        let names = vocabularies.keys.sorted().joined(separator: "|")
        let regex = try NSRegularExpression(
            // Not after a quote: `'mode=' || ...` builds text, it compares nothing.
            pattern: "(?<![A-Za-z_'])(\(names))\\s*(?:=|<>|!=|IS NOT|IS|NOT IN|IN)\\s*(\\('[^)]*\\)|'[^']*')")
        var found: [(String, String)] = []
        for match in regex.matches(in: sql, range: NSRange(sql.startIndex..., in: sql)) {
            guard let column = Range(match.range(at: 1), in: sql), let list = Range(match.range(at: 2), in: sql) else { continue }
            // `'a'` or `('a', 'b')`: the quoted parts are every other piece between quotes.
            let pieces = sql[list].split(separator: "'", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() where index % 2 == 1 {
                found.append((String(sql[column]), String(piece)))
            }
        }
        return found
    }

    @Test func everyStatusLiteralInTheReportSQLIsAVocabularyValue() throws {
        let statements = (ReportSQL.sections + DiffSQL.sections + SeriesSQL.sections).map(\.sql) + DiffSQL.setup(toSchema: "main")
        var checked = 0
        for sql in statements {
            for (column, value) in try Self.comparisons(in: sql) {
                checked += 1
                #expect(Self.vocabularies[column]?.contains(value) == true, "\(column) = '\(value)' is not in its vocabulary")
            }
        }
        #expect(checked > 40, "only \(checked) literals found: has the SQL or the pattern changed?")
    }

    @Test func theCheckCanFail() throws {
        let found = try Self.comparisons(in: "WHERE r.policy_status IS 'vaild' AND mode IN ('enforce', 'tseting')")
        #expect(found.map(\.value) == ["vaild", "enforce", "tseting"])
        #expect(found.filter { Self.vocabularies[$0.column]?.contains($0.value) != true }.count == 2)
        // Text built inside a literal is not a comparison.
        #expect(try Self.comparisons(in: "SELECT 'mode=' || coalesce(mode_to, '')").isEmpty)
    }
}
