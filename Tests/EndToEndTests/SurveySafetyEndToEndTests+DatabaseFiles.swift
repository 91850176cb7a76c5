import Foundation
import GRDB
import Testing

/// Issue 25 through the real binary: no output option names a database's files (the
/// `--db`, its `-wal`/`-shm`/`-journal`/`.lock`, another survey), each refused with status 1
/// before anything is written; `sql` refuses VACUUM; a bad list creates no database.
extension SurveySafetyEndToEndTests {
    /// The bytes of each file that exists among `paths`.
    static func snapshot(_ paths: [String]) -> [String: Data] {
        var files: [String: Data] = [:]
        for path in paths { files[path] = FileManager.default.contents(atPath: path) }
        return files
    }

    static func entries(_ scratch: Scratch) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)) ?? [])
    }

    @Test func jsonlNeverNamesTheDatabaseOrItsFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = try scratch.write("l.txt", (0..<30).map { "not valid \($0)!\n" }.joined())
        let x = scratch.path("x.sqlite")

        // A new survey: refused before the database, its lock or the named file exist.
        let before = Self.entries(scratch)
        for target in ["x.sqlite-wal", "x.sqlite", "x.sqlite-shm", "x.sqlite-journal", "x.sqlite.lock"] {
            let run = try StsscanBinary.run(["scan", list, "--db", x, "--jsonl", scratch.path(target),
                                             "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status == 1 && run.err.contains("never writes over a database's files"), "\(target): \(run.err)")
            #expect(!run.err.contains("finished"))
            #expect(Self.entries(scratch) == before, "\(target): nothing is created")
        }

        // The commands on a stored survey: the database keeps every byte and row.
        let db = try Self.scanDatabase(scratch, name: "x.sqlite")
        let files = [db, db + "-wal", db + "-journal"]
        let kept = Self.snapshot(files)
        for target in ["x.sqlite-wal", "x.sqlite", "x.sqlite-journal", "x.sqlite.lock"] {
            let run = try StsscanBinary.run(["scan", list, "--db", db, "--jsonl", scratch.path(target),
                                             "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status == 1 && run.err.contains("'\(scratch.path(target))'"), "\(target): \(run.err)")
            #expect(Self.snapshot(files) == kept, "\(target): the database's files are unchanged")
        }
        // Through a symbolic link, and under another spelling of the same path.
        let link = scratch.path("link.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
        for target in [link, scratch.directory.appendingPathComponent("./sub/../x.sqlite-wal").path] {
            try? FileManager.default.createDirectory(atPath: scratch.path("sub"), withIntermediateDirectories: true)
            let run = try StsscanBinary.run(["scan", list, "--db", db, "--jsonl", target, "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status == 1, "\(target): \(run.err)")
        }
        #expect(Self.snapshot(files) == kept)
        let count = try StsscanBinary.run(["sql", "--db", db, "select count(*) from domain_results"])
        #expect(count.status == 0 && count.out.contains("50"), "\(count.out) \(count.err)")
        #expect(try Self.count(db, "SELECT count(*) FROM scans") == 1, "no scan was started")
    }

    @Test func exportAndReportNeverOverwriteASurvey() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.scanDatabase(scratch)
        let other = try Self.scanDatabase(scratch, name: "other.sqlite")
        let files = [db, other, other + "-wal"]
        let kept = Self.snapshot(files)
        let commands: [[String]] = [
            ["export", "--db", db, "--out", other],
            ["export", "--db", db, "--format", "csv", "--out", other + "-wal"],
            ["report", "--db", db, "--out", other],
            ["report", "--db", db, "--format", "md", "--out", other + "-journal"],
            ["report", "--db", db, "--out", db + ".lock"],
            ["report", "--db", db, "--out", db + "-shm"],
            ["export", "--db", db, "--out", db],
        ]
        for command in commands {
            let run = try StsscanBinary.run(command)
            #expect(run.status == 1 && run.err.contains("never writes over a database's files"), "\(command): \(run.err)")
            #expect(Self.snapshot(files) == kept, "\(command)")
        }
        let other2 = try StsscanBinary.run(["export", "--db", db, "--out", other])
        #expect(other2.err.contains("it is a SQLite database"), "\(other2.err)")

        // --export into a folder where report.md is a survey: refused, and the other two
        // files of the export are not replaced either.
        let folder = scratch.path("exported")
        #expect(try StsscanBinary.run(["report", "--db", db, "--export", folder]).status == 0)
        try FileManager.default.removeItem(atPath: folder + "/report.md")
        try FileManager.default.copyItem(atPath: other, toPath: folder + "/report.md")
        let exported = Self.snapshot(["ipynb", "html", "md"].map { folder + "/report." + $0 })
        let refused = try StsscanBinary.run(["report", "--db", db, "--export", folder])
        #expect(refused.status == 1 && refused.err.contains("report.md"), "\(refused.err)")
        #expect(Self.snapshot(["ipynb", "html", "md"].map { folder + "/report." + $0 }) == exported)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 3, "no temporary file stays")

        // An ordinary file named like a sibling, with no SQLite file beside it, is fine.
        let plain = try StsscanBinary.run(["report", "--db", db, "--out", scratch.path("notes.txt-wal")])
        #expect(plain.status == 0, "\(plain.err)")
    }

    @Test func sqlRefusesVacuumInEveryForm() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.scanDatabase(scratch)
        let copy = scratch.path("copy.sqlite")
        let queries = [
            "VACUUM INTO '\(copy)'", "vacuum into '\(copy)'", "VACUUM main INTO '\(copy)'",
            "  /* a comment */ VaCuUm\n\t INTO 'file:\(copy)?mode=rwc'", "VACUUM INTO 'file:\(copy)' -- a note",
            "VACUUM", "VACUUM main", "vacuum;", "EXPLAIN VACUUM INTO '\(copy)'",
        ]
        let before = Self.entries(scratch)
        for query in queries {
            let run = try StsscanBinary.run(["sql", "--db", db, query])
            #expect(run.status == 1 && run.err.contains("only reads"), "\(query): \(run.out) \(run.err)")
            #expect(!FileManager.default.fileExists(atPath: copy), "\(query) wrote a copy")
        }
        // Standard input is the same path (and takes a leading line comment, which an argument cannot).
        for query in queries + ["-- a note\nVACUUM INTO '\(copy)'"] {
            let piped = try StsscanBinary.run(["sql", "--db", db, "-"], stdin: Array(query.utf8))
            #expect(piped.status == 1 && piped.err.contains("only reads"), "\(query) (stdin): \(piped.err)")
            #expect(!FileManager.default.fileExists(atPath: copy), "\(query) wrote a copy")
        }
        #expect(Self.entries(scratch).subtracting(["scan.sqlite-wal", "scan.sqlite-shm"]) == before.subtracting(["scan.sqlite-wal", "scan.sqlite-shm"]))
        // Reading, EXPLAIN and schema pragmas still work.
        for query in ["SELECT count(*) FROM scans", "EXPLAIN QUERY PLAN SELECT * FROM scans", "PRAGMA table_info(scans)"] {
            let run = try StsscanBinary.run(["sql", "--db", db, query])
            #expect(run.status == 0, "\(query): \(run.err)")
        }
    }

    @Test func aBadListCreatesNoDatabase() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path("folder"), withIntermediateDirectories: true)
        let before = Self.entries(scratch)
        for list in [scratch.path("folder"), scratch.path("missing.txt")] {
            let run = try StsscanBinary.run(["scan", list, "--db", scratch.path("new.sqlite"),
                                             "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status == 1, "\(list): \(run.err)")
            #expect(Self.entries(scratch) == before, "\(list): no database, lock or -wal is created")
        }
    }
}
