import Foundation
import GRDB
import STSReport
import Testing

/// docs/database.md's example queries run as written on a real scan database (the fixture):
/// a schema change that breaks one fails here, not in a reader's hands.
@Suite struct DocsQueriesTests {
    static func documentedQueries() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/database.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.components(separatedBy: "```sql\n").dropFirst().flatMap { block in
            block.components(separatedBy: "\n```")[0].components(separatedBy: ";\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";"))) }
                .filter { !$0.isEmpty }
        }
    }

    @Test func everyDocumentedQueryRuns() throws {
        let queries = try Self.documentedQueries()
        #expect(queries.count >= 10)
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        for query in queries {
            #expect(throws: Never.self, "\(query)") { _ = try ReportBuilder.sql(database, query) }
        }
        // The testing-to-enforce example asks for valid policies and finds the fixture's mover(s)
        // exactly as a plain (quadratic) join would.
        let mover = try #require(queries.first { $0.contains("mode = 'testing'") && $0.contains("scan_id = 2") })
        let plain = """
            SELECT a.domain FROM results a JOIN results b ON b.domain = a.domain
            WHERE a.scan_id = 1 AND b.scan_id = 2 AND a.policy_status = 'valid' AND a.mode = 'testing'
              AND b.policy_status = 'valid' AND b.mode = 'enforce' ORDER BY a.domain
            """
        #expect(try ReportBuilder.sql(database, mover).sections[0].rows == ReportBuilder.sql(database, plain).sections[0].rows)
    }
}
