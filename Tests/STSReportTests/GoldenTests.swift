import Foundation
import STSReport
import Testing

/// Every format of `report` and `diff` on the fixed fixture, compared byte for byte.
@Suite struct GoldenTests {
    @Test(arguments: ReportFormat.allCases)
    func reportFormat(_ format: ReportFormat) throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1)
        try Golden.check("report.\(format.fileExtension)", format.render(report, database: "scan.sqlite"))
    }

    @Test func csvSingleSectionIsAPlainTable() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1, sections: ["funnel"])
        try Golden.check("report-funnel.csv", ReportFormat.csv.render(report))
    }

    @Test(arguments: [ReportFormat.text, .json, .csv])
    func diffFormat(_ format: ReportFormat) throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let report = try ReportBuilder.diff(ReportDatabase(path: fixture.path), from: 1, to: 2)
        try Golden.check("diff.\(format.fileExtension)", format.render(report))
    }
}
