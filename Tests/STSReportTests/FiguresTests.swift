import Foundation
import STSCore
import STSReport
import STSStore
import Testing

/// Issue 23, "figures a paper would use": one stated denominator per error chart, list hygiene
/// and TLS-RPT apart, "other" never the largest bar, MX hosts that say something, axes that
/// fit the spread, labels never cut, the max_age CDF, the before/after matrix, mode
/// transitions over time, and text that fits the terminal.
@Suite struct FiguresTests {
    /// A scan whose error codes make the old charts lie: list hygiene and TLS-RPT errors as
    /// primary findings, a policy stage with a small tail, a fetch stage of many equal codes.
    static func errorScan() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("scan.sqlite").path
        var records: [DomainRecord] = []
        func add(_ count: Int, _ make: (Int, String) -> DomainRecord) {
            for _ in 0..<count {
                let position = records.count
                records.append(make(position, "d\(position).example"))
            }
        }
        add(10) { FixtureDatabase.entry($0, $1, rank: nil, mx: "nxdomain", findings: [Finding(.domainNXDomain)]) }
        add(4) { FixtureDatabase.entry($0, $1, rank: nil, tlsrpt: "invalid", findings: [Finding(.tlsrptBadURI, "ftp://x")]) }
        add(20) { FixtureDatabase.entry($0, $1, rank: nil, sts: "valid", policy: "valid", mode: "enforce", maxAge: 604_800,
                                        coverage: "all") }
        add(2) { FixtureDatabase.entry($0, $1, rank: nil, sts: "error", findings: [Finding(.txtDNSServfail)]) }
        // Policy stage: 6, 5, 4, 3, 3, then a tail of 1 + 1 (smaller than 3: folded).
        let policy: [(FindingCode, Int)] = [(.policyBadMode, 6), (.policyBadMX, 5), (.policyBadVersion, 4), (.policyEmpty, 3),
                                            (.policyHTML, 3), (.policySyntax, 1), (.policyMissingMX, 1)]
        for (code, count) in policy {
            add(count) { FixtureDatabase.entry($0, $1, rank: nil, sts: "valid", policy: "invalid", findings: [Finding(code)]) }
        }
        // Fetch stage: 3, then seven codes of 2: the old top five plus "other (3 codes)" = 6 was its largest bar.
        let fetch: [(FindingCode, Int)] = [(.certExpired, 3), (.certUntrusted, 2), (.certNameMismatch, 2), (.connectRefused, 2),
                                           (.httpNotFound, 2), (.httpRedirect, 2), (.httpStatus, 2), (.httpContentType, 2)]
        for (code, count) in fetch {
            add(count) { FixtureDatabase.entry($0, $1, rank: nil, sts: "valid", policy: "fetch-error", findings: [Finding(code)]) }
        }
        let store = try ResultStore(path: path)
        try FixtureDatabase.write(store, scan: 1, records: records)
        return (directory, path)
    }

    static func column(_ table: ReportTable, _ name: String) -> Int { table.columns.firstIndex(of: name)! }

    @Test func errorChartsHaveOneStatedDenominatorAndLeaveListHygieneApart() throws {
        let scan = try Self.errorScan()
        defer { try? FileManager.default.removeItem(at: scan.directory) }
        let report = try ReportBuilder.report(ReportDatabase(path: scan.path), scanID: 1)
        // Domains with an _mta-sts record or a failed lookup: 20 working + 23 invalid policies + 17 fetch errors + 2 servfail.
        let stsDomains = 62.0
        for id in ["error_stages", "result_types", "misconfigurations"] {
            let table = try #require(report.section(id))
            let domains = Self.column(table, "domains"), percent = Self.column(table, "percent")
            #expect(!table.rows.isEmpty, "\(id)")
            #expect(table.chartDenominator == stsDomains, "\(id): one denominator for every row")
            for row in table.rows {
                let text = row.map(\.plain).joined(separator: " ")
                #expect(!text.contains("domain-nxdomain") && !text.contains("tlsrpt-"), "\(id): \(text)")
                let expected = (100 * row[domains].number! / stsDomains * 100).rounded() / 100
                #expect(row[percent].number == expected, "\(id): \(text)")
            }
            // The chart states its denominator.
            #expect(SVGBarChart.render(table).contains("; N = 62</text>"), "\(id)")
        }
        let types = try #require(report.section("result_types"))
        let total = types.rows.map { $0[Self.column(types, "domains")].number! }.reduce(0, +)
        #expect(total == 23 + 17 + 2, "every MTA-STS primary error once, nothing else")
        // List hygiene and TLS-RPT each have their own section and base (the list: 76 entries).
        let hygiene = try #require(report.section("list_hygiene"))
        #expect(hygiene.rows.map { $0.prefix(3).map(\.plain) } == [["domain-nxdomain", "10", "13.16"]])
        let tlsrpt = try #require(report.section("tlsrpt_errors"))
        #expect(tlsrpt.rows.map { $0.map(\.plain) } == [["tlsrpt-bad-uri", "4", "5.26", "76"]])
        #expect(tlsrpt.chartDenominator == 76)
    }

    @Test func otherIsNeverTheLargestBarAndOnlyFoldsATail() throws {
        let scan = try Self.errorScan()
        defer { try? FileManager.default.removeItem(at: scan.directory) }
        let table = try #require(try ReportBuilder.report(ReportDatabase(path: scan.path), scanID: 1,
                                                          sections: ["error_stages"]).section("error_stages"))
        let stage = Self.column(table, "stage"), code = Self.column(table, "code"), domains = Self.column(table, "domains")
        let rows = table.rows.map { (stage: $0[stage].plain, code: $0[code].plain, domains: $0[domains].number!) }
        // Policy: five codes, then the tail of two single domains folded (smaller than the 3 above it).
        #expect(rows.filter { $0.stage == "policy" }.map(\.code)
            == ["policy-bad-mode", "policy-bad-mx", "policy-bad-version", "policy-empty", "policy-html", "other (2 codes)"])
        // Fetch: no tail is smaller than the codes before it, so every code is shown.
        #expect(rows.filter { $0.stage == "policy fetch" }.count == 8)
        #expect(!rows.contains { $0.stage == "policy fetch" && $0.code.hasPrefix("other") })
        for other in rows where other.code.hasPrefix("other") {
            let shown = rows.filter { $0.stage == other.stage && !$0.code.hasPrefix("other") }
            #expect(shown.allSatisfy { $0.domains > other.domains }, "\(other)")
            #expect(!other.code.hasPrefix("other (1 "), "a single code is shown, not folded")
        }
    }

    @Test func largestMXHostsServeMoreThanOneEntryAndLabelsAreNotCut() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let table = try #require(try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1,
                                                          sections: ["mx_providers"]).section("mx_providers"))
        // Only mx.alpha.com serves two entries; 9 entries have MX records.
        #expect(table.rows.map { $0.prefix(3).map(\.plain) } == [["mx.alpha.com", "2", "22.22"]])
        let long = "anfinhol-1ne3jvi-net.mail.protection.mailhost-t.com"
        let chart = ReportChart(label: "host", value: "domains", metric: "list entries served (count)")
        let svg = SVGBarChart.render([ChartBar(label: long, value: 7_371), ChartBar(label: "a-much-longer-name-" + long, value: 2)],
                                     chart: chart, title: "MX hosts")
        #expect(svg.contains(">\(long)</text>"), "a 51-character name gets the room it needs")
        #expect(!svg.contains("..."))
        #expect(svg.contains("<tspan"), "a longer one wraps at a dot or dash")
        let text = svg.replacingOccurrences(of: "</tspan><tspan x=\"392\" dy=\"14\">", with: "")
        #expect(text.contains("a-much-longer-name-" + long), "nothing is lost in the wrap")
    }

    @Test func logAxesOnlyWhenTheSpreadDemands() {
        let chart = ReportChart(label: "provider", value: "domains", metric: "domains (count)", scale: .auto)
        let even = SVGBarChart.render([ChartBar(label: "provider-x.com", value: 6), ChartBar(label: "provider-y.net", value: 6)],
                                      chart: chart, title: "Policy hosting providers")
        #expect(!even.contains("log scale"))
        let heavy = SVGBarChart.render([ChartBar(label: "mx1.big.example", value: 7_371), ChartBar(label: "127.0.55.1", value: 4)],
                                       chart: chart, title: "MX hosts")
        #expect(heavy.contains("domains (count) (log scale)"))
        #expect(ReportChart.Scale.auto.resolved(for: [1, 99]) == .linear)
        #expect(ReportChart.Scale.auto.resolved(for: [1, 100]) == .log)
    }

    @Test func maxAgeHasACumulativeDistribution() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let table = try #require(try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1,
                                                          sections: ["max_age_cdf"]).section("max_age_cdf"))
        // Valid policies: 3600, 86400, 3 x 604800, 31557600.
        #expect(table.cdfSteps.map(\.x) == [3_600, 86_400, 604_800, 31_557_600])
        #expect(table.cdfSteps.map(\.cumulative) == [16.67, 33.33, 83.33, 100])
        let svg = SVGCDFChart.render(table)
        for tick in ["1 h", "1 d", "1 w", "30 d", "1 y"] { #expect(svg.contains(">\(tick)</text>"), "tick \(tick)") }
        #expect(svg.contains("max_age (log scale); N = 6"))
        #expect(svg.contains(">7 d: 83.33%</text>"), "the big step is labelled")
        let html = ReportFormat.html.render(try ReportBuilder.report(ReportDatabase(path: fixture.path), scanID: 1))
        #expect(html.contains("aria-label=\"max_age cumulative distribution"))
    }

    @Test func diffHasABeforeAfterMatrixAndTheSeriesItsModeTransitions() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        let matrix = try #require(try ReportBuilder.diff(database, from: 1, to: 2).section("state_matrix"))
        #expect(matrix.columns == ["before", "enforce", "testing", "none", "failing", "absent", "undecided", "total"])
        let cells = Dictionary(uniqueKeysWithValues: matrix.rows.map { ($0[0].plain, $0.dropFirst().map { Int($0.number!) }) })
        // bravo testing -> enforce; alpha (listed twice, counted once) and charlie stay; delta enforce -> failing; echo none -> absent; golf failing -> testing;
        // foxtrot failing (invalid record) -> testing; juliett undecided.
        #expect(cells["testing"] == [1, 0, 0, 0, 0, 0, 1])
        #expect(cells["enforce"] == [2, 0, 0, 1, 0, 0, 3])
        #expect(cells["none"] == [0, 0, 0, 0, 1, 0, 1])
        #expect(cells["failing"] == [0, 2, 0, 1, 0, 0, 3])
        #expect(cells["undecided"] == [0, 0, 0, 0, 0, 1, 1])
        // 11 distinct domains are in both scans; each is counted once.
        #expect(matrix.rows.map { $0.last!.number! }.reduce(0, +) == 11)

        let series = try #require(try ReportBuilder.series(database).section("series_mode_transitions"))
        #expect(series.rows.count == 1, "one step between two points")
        let row = Dictionary(uniqueKeysWithValues: zip(series.columns, series.rows[0].map(\.plain)))
        #expect(row["from_scan"] == "1" && row["scan_id"] == "2")
        #expect(row["testing_to_enforce"] == "1" && row["toward_enforce"] == "1" && row["away_from_enforce"] == "0")
        // golf and foxtrot gained a valid policy; delta (broken) and echo (withdrawn) lost theirs: the matrix's counts.
        #expect(row["gained_policy"] == "2" && row["lost_policy"] == "2")
        #expect(!SVGLineChart.render(series).isEmpty)
    }

    @Test func textAtAHundredColumnsHasNoLongerLineAndLosesNoValue() throws {
        let fixture = try FixtureDatabase.make()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let database = try ReportDatabase(path: fixture.path)
        let reports = [try ReportBuilder.report(database, scanID: 1), try ReportBuilder.diff(database, from: 1, to: 2),
                       try ReportBuilder.series(database)]
        for report in reports {
            let wide = ReportFormat.text.render(report)
            #expect(wide.split(separator: "\n").contains { $0.count > 100 }, "\(report.kind): the test must be able to fail")
            let text = ReportFormat.text.render(report, width: 100)
            let long: [String] = text.split(separator: "\n").map(String.init).filter { $0.count > 100 }
            #expect(long.isEmpty, "\(report.kind): \(long.first ?? "")")
        }
        // by_rank is too wide for 100 columns even cut: one field per line, every value there.
        let narrow = ReportFormat.text.render(reports[0], width: 100)
        #expect(narrow.contains("[1 of 6]\nrank_bucket           top 1k\ndomains               6\n"))
        #expect(narrow.contains("percent_tlsrpt        50\n"))
        // COLUMNS decides, else the terminal, else nothing (files and pipes).
        #expect(TextRenderer.terminalWidth(environment: ["COLUMNS": "100"], terminalColumns: 200) == 100)
        #expect(TextRenderer.terminalWidth(environment: ["COLUMNS": "wide"], terminalColumns: 80) == 80)
        #expect(TextRenderer.terminalWidth(environment: [:], terminalColumns: nil) == nil)
    }

    /// The venv's python with pandas and matplotlib (scripts/notebook-venv.sh), nil without one.
    static let venvPython: String? = {
        let venv = ProcessInfo.processInfo.environment["STSSCAN_NOTEBOOK_VENV"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/nbvenv").path
        return FileManager.default.isExecutableFile(atPath: venv + "/bin/python") ? venv + "/bin/python" : nil
    }()

    /// A series of scans minutes apart: the notebook's dates read as dates with times, with no
    /// offset label ("10 20 30" minutes under "2026-Dec-05 07:48" was the old axis).
    @Test(.enabled(if: venvPython != nil, "no notebook venv: run scripts/notebook-venv.sh"))
    func notebookDatesOfAShortSeriesAreWholeDates() throws {
        let script = NotebookPython.chartHelpers + "\n\n" + NotebookSeriesPython.lineChartHelper + """


            import matplotlib
            matplotlib.use("Agg")
            df = pd.DataFrame({"started_at": ["2026-12-05T07:48:02.750Z", "2026-12-05T08:18:43.585Z", "2026-12-05T08:49:25.019Z"],
                               "rate": [20.0, 21.0, 22.5], "list_change": ["first point", "same list", "same list"]})
            line_chart(df, "t", date="started_at", lines=[("rate", "rate")], metric="%", change="list_change",
                       no_change=["first point", "same list"])
            ax = plt.gcf().axes[0]
            plt.gcf().canvas.draw()
            print(repr([t.get_text() for t in ax.get_xticklabels()]))
            print(repr(ax.xaxis.get_offset_text().get_text()))
            print(len(ax.lines))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venvPython!)
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "['2026-12-05\\n07:48:02 UTC', '2026-12-05\\n08:18:43 UTC', '2026-12-05\\n08:49:25 UTC']", "\(output)")
        #expect(lines.dropFirst().first == "''", "no offset label")
        #expect(lines.last == "1", "same list: no dotted vertical line")
    }
}
