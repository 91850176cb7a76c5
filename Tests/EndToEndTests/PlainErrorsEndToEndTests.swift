import Foundation
import Testing

/// The CLI speaks the user's language: every refusal names what was wrong, the path, and
/// what to do, with no library internals (SQLite statements, Cocoa error dumps, Swift API
/// names); `check` takes the domain out of a URL or mail address and says so; help texts
/// carry no hard line breaks inside a paragraph and `check --help` no survey options.
@Suite struct PlainErrorsEndToEndTests {
    static let internals = ["NSCocoaErrorDomain", "Database.execute", "PRAGMA", "SQLite error", "GRDB", "Error Domain"]

    /// A scratch folder with a one-scan database (an unfinished scan of a bad list: nothing
    /// to probe, so no network is used).
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsplain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func expectPlain(_ run: StsscanBinary.Run, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status != 0, sourceLocation: sourceLocation)
        for word in internals {
            #expect(!run.err.contains(word), "internals in: \(run.err)", sourceLocation: sourceLocation)
        }
        for text in mentions {
            #expect(run.err.contains(text), "\(text) missing from: \(run.err)", sourceLocation: sourceLocation)
        }
    }

    @Test func databaseAndOutputErrorsNameThePathAndWhatToDo() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let notes = directory.appendingPathComponent("notes.txt").path
        try String(repeating: "hello\n", count: 200).write(toFile: notes, atomically: true, encoding: .utf8)
        Self.expectPlain(try StsscanBinary.run(["report", "--db", notes]),
                         mentions: [notes, "not an SQLite database"])
        Self.expectPlain(try StsscanBinary.run(["sql", "--db", notes, "SELECT 1"]), mentions: [notes])
        let missing = directory.appendingPathComponent("no such folder/scan.sqlite").path
        Self.expectPlain(try StsscanBinary.run(["scan", notes, "--db", missing, "--resolver", "127.0.0.1:9"]),
                         mentions: [missing, "folder does not exist"])
        // A real (empty) scan database to report from.
        let db = directory.appendingPathComponent("scan.sqlite").path
        _ = try StsscanBinary.run(["scan", "-", "--db", db, "--resolver", "127.0.0.1:9", "--quiet"], stdin: Array("\n".utf8))
        let out = directory.appendingPathComponent("missing/report.html").path
        Self.expectPlain(try StsscanBinary.run(["report", "--db", db, "--out", out]),
                         mentions: [out, "its folder does not exist; create it first"])
        Self.expectPlain(try StsscanBinary.run(["report", "--db", db, "--export", notes + "/out"]),
                         mentions: [notes + "/out", "\(notes) is a file, not a folder"])
        Self.expectPlain(try StsscanBinary.run(["report", "--db", db, "--export", notes]),
                         mentions: [notes, "it is a file, not a folder"])
        Self.expectPlain(try StsscanBinary.run(["sql", "--db", db, "SELECT 1; SELECT 2"]),
                         mentions: ["one statement at a time"])
        Self.expectPlain(try StsscanBinary.run(["diff", "--db", db]), mentions: [db, "only scan 1", "diff compares two scans"])
        let piped = try StsscanBinary.run(["sql", "--db", db, "--csv", "-"], stdin: Array("SELECT 0.000123 AS a, 1.0/3 AS b".utf8))
        #expect(piped.status == 0)
        #expect(piped.out == "a,b\r\n0.000123,0.3333333333333333\r\n")
    }

    @Test func checkTakesTheDomainOutOfAURLOrAMailAddress() throws {
        // An unreachable resolver and one short try: the point is the input handling.
        let quick = ["--resolver", "127.0.0.1:9", "--dns-timeout", "0.2", "--dns-tries", "1", "--json"]
        let url = try StsscanBinary.run(["check", "https://Example.com/path?q"] + quick)
        #expect(url.err.contains("checking the domain Example.com of the URL https://Example.com/path?q"))
        #expect(url.out.contains("\"domain\" : \"example.com\""))
        let mail = try StsscanBinary.run(["check", "admin@example.com"] + quick)
        #expect(mail.err.contains("checking the domain example.com of the mail address admin@example.com"))
        #expect(mail.out.contains("\"domain\" : \"example.com\""))
        let bad = try StsscanBinary.run(["check", "https:///nothing"] + quick)
        #expect(bad.status == 2)
        #expect(bad.err.contains("is a URL without a host name"))
        // Not a terminal: no progress line.
        #expect(!url.err.contains("checking example.com:"))
    }

    @Test func helpTextsReadWell() throws {
        let check = try StsscanBinary.run(["check", "--help"]).out
        for survey in ["--max-fetches", "--per-ip", "--per-ip-max", "--stall-after", "--rate", "--dns-in-flight", "--mx-per-ip", "--mx-probe"] {
            #expect(!check.contains(survey), "check --help offers \(survey)")
        }
        #expect(check.contains("--dns-timeout <seconds> Seconds before one DNS try times out (default: 2.0)."))
        let diff = try StsscanBinary.run(["diff", "--help"]).out
        #expect(diff.contains("values: text, json, csv, md, html;") && !diff.contains("ipynb"))
        // A paragraph's lines are filled to the width: no line ends early inside one.
        let scan = try StsscanBinary.run(["scan", "--help"]).out
        #expect(scan.contains("kill\n-9 and\n") == false)
        #expect(!scan.contains("and\ncontinue with --resume"))
    }
}
