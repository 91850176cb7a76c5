import Foundation
import GRDB
import Testing

/// Issue 13 through the real binary, without a world: output paths, databases that must be
/// refused, settings checked before a scan, scans that fail to start, `--resume` of a changed
/// list, one scan per database, Ctrl-C on an idle input, and `sql` streaming under its
/// authorizer. Lists of invalid names need no DNS; the resolver 127.0.63.250 has nothing
/// listening (this suite's block).
@Suite(.serialized) struct SurveySafetyEndToEndTests {
    static let deadResolver = "127.0.63.250"

    final class Scratch: Sendable {
        let directory: URL
        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-safety-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func write(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
            return path(name)
        }
        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// A small scan database made by the binary from invalid names (no lookups needed).
    static func scanDatabase(_ scratch: Scratch, name: String = "scan.sqlite") throws -> String {
        let list = try scratch.write("invalid.txt", (0..<50).map { "not valid \($0)!\n" }.joined())
        let db = scratch.path(name)
        let run = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", deadResolver, "--quiet"])
        guard run.status == 0 else { throw TestWorld.Failure("scan failed: \(run.err)") }
        return db
    }

    static func count(_ db: String, _ sql: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: db, configuration: configuration).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    // MARK: report --out

    @Test func reportOutWritesRegularFilesOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.scanDatabase(scratch)
        let dbBytes = try Data(contentsOf: URL(fileURLWithPath: db))

        // The database being read: refused, left intact.
        let onDatabase = try StsscanBinary.run(["report", "--db", db, "--out", db])
        #expect(onDatabase.status == 1 && onDatabase.err.contains("it is the database"), "\(onDatabase.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == dbBytes)
        // ... also through a symbolic link to it.
        let linkToDB = scratch.path("link-to-db.md")
        try FileManager.default.createSymbolicLink(atPath: linkToDB, withDestinationPath: db)
        let viaLink = try StsscanBinary.run(["report", "--db", db, "--out", linkToDB])
        #expect(viaLink.status == 1 && viaLink.err.contains("it is the database"), "\(viaLink.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == dbBytes)

        // A 0600 file keeps its permissions (its replacement gets them), and no temporary file stays.
        let privateFile = try scratch.write("private.md", "old")
        chmod(privateFile, 0o600)
        let written = try StsscanBinary.run(["report", "--db", db, "--format", "md", "--out", privateFile])
        #expect(written.status == 0, "\(written.err)")
        let attributes = try FileManager.default.attributesOfItem(atPath: privateFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: privateFile, encoding: .utf8).count > 100)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).filter { $0.hasSuffix(".tmp") }.isEmpty)

        // A symbolic link to a file: its target is replaced, the link stays a link.
        let target = try scratch.write("target.md", "old")
        let link = scratch.path("link.md")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try StsscanBinary.run(["report", "--db", db, "--out", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) != "old")

        // A FIFO and a device: refused at once (a FIFO would block, a device be replaced).
        let fifo = scratch.path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let toFIFO = try StsscanBinary.run(["report", "--db", db, "--out", fifo])
        #expect(toFIFO.status != 0 && toFIFO.err.contains("not a regular file"), "\(toFIFO.err)")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
        let toDevice = try StsscanBinary.run(["report", "--db", db, "--out", "/dev/null"])
        #expect(toDevice.status != 0 && toDevice.err.contains("not a regular file"))
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)

        // A new file is created; a missing folder is named.
        #expect(try StsscanBinary.run(["report", "--db", db, "--out", scratch.path("new.txt")]).status == 0)
        let missing = try StsscanBinary.run(["report", "--db", db, "--out", scratch.path("no/such/dir.txt")])
        #expect(missing.status != 0 && missing.err.contains("folder does not exist"), "\(missing.err)")
    }

    // MARK: databases and settings refused before scanning

    @Test func temporaryAndForeignDatabasesAreRefused() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = try scratch.write("list.txt", "not valid!\n")
        for db in ["", ":memory:"] {
            let run = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status != 0 && run.err.contains("not a database file"), "--db '\(db)': \(run.err)")
            #expect(!run.err.contains("finished"))
            #expect(!FileManager.default.fileExists(atPath: db + ".lock"), "nothing is created for --db '\(db)'")
        }
        let noFolder = try StsscanBinary.run(["scan", list, "--db", scratch.path("missing/scan.sqlite"),
                                              "--resolver", Self.deadResolver, "--quiet"])
        #expect(noFolder.status != 0 && noFolder.err.contains("missing/scan.sqlite") && noFolder.err.contains("folder does not exist"),
                "\(noFolder.err)")
        let foreign = scratch.path("foreign.sqlite")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE notes(text TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let run = try StsscanBinary.run(["scan", list, "--db", foreign, "--resolver", Self.deadResolver, "--quiet"])
        #expect(run.status != 0 && run.err.contains("another application"), "\(run.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
        #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
    }

    @Test func missingCAFileStopsBeforeScanning() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = try scratch.write("list.txt", "example.com\n")
        let db = scratch.path("scan.sqlite")
        let missing = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", Self.deadResolver,
                                             "--ca-file", scratch.path("nope.pem"), "--quiet"])
        #expect(missing.status != 0 && missing.err.contains("--ca-file") && missing.err.contains("nope.pem"), "\(missing.err)")
        #expect(!FileManager.default.fileExists(atPath: db), "nothing is created for a scan that cannot run")
        let notPEM = try scratch.write("not.pem", "hello\n")
        let bad = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", Self.deadResolver, "--ca-file", notPEM, "--quiet"])
        #expect(bad.status != 0 && bad.err.contains("no PEM certificate"), "\(bad.err)")
    }

    /// Nothing listens at the resolver: the scan stops after the first domains with a
    /// clear message and leaves no scan behind.
    @Test func resolverWhereNothingListensStopsTheScan() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let list = try scratch.write("list.txt", (0..<3000).map { "d\($0).example\n" }.joined())
        let db = scratch.path("scan.sqlite")
        let started = Date()
        let run = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", Self.deadResolver, "--quiet",
                                         "--dns-timeout", "0.5", "--dns-tries", "1"])
        #expect(run.status != 0 && run.err.contains("DNS lookups all failed") && run.err.contains("--resolver"), "\(run.err)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(try Self.count(db, "SELECT count(*) FROM scans") == 0)
        #expect(try Self.count(db, "SELECT count(*) FROM domain_results") == 0)

        // A list shorter than the check: stored, and the summary warns loudly.
        let short = try scratch.write("short.txt", (0..<10).map { "d\($0).example\n" }.joined())
        let warned = try StsscanBinary.run(["scan", short, "--db", scratch.path("short.sqlite"), "--resolver", Self.deadResolver,
                                            "--quiet", "--dns-timeout", "0.5", "--dns-tries", "1"])
        #expect(warned.status == 0, "\(warned.err)")
        #expect(warned.err.contains("warning") && warned.err.contains("every DNS lookup of this run failed"), "\(warned.err)")
    }

    // MARK: scans that fail to start, resume

    /// A list that cannot be read leaves no scan row: the real scan then starts, and
    /// --resume has nothing stale to trip over (issue 14's phantom scan).
    @Test func failedStartLeavesNoPhantomScan() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.scanDatabase(scratch)
        for bad in [scratch.path("typo.csv"), scratch.directory.path] {
            let run = try StsscanBinary.run(["scan", bad, "--db", db, "--resolver", Self.deadResolver, "--quiet"])
            #expect(run.status != 0, "\(run.err)")
        }
        #expect(try Self.count(db, "SELECT count(*) FROM scans") == 1)
        #expect(try Self.count(db, "SELECT count(*) FROM scans WHERE finished_at IS NULL") == 0)
        let resume = try StsscanBinary.run(["scan", scratch.path("invalid.txt"), "--db", db, "--resume",
                                            "--resolver", Self.deadResolver, "--quiet"])
        #expect(resume.status != 0 && resume.err.contains("no unfinished scan"), "\(resume.err)")
    }

    /// --resume compares the list's content, not only its path: a shuffled list at the
    /// same path is refused; the original one resumes.
    @Test func resumeRefusesAChangedList() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = (0..<20).map { "not valid \($0)!\n" }.joined()
        let list = try scratch.write("list.txt", original)
        let db = scratch.path("scan.sqlite")
        let scan = try StsscanBinary.run(["scan", list, "--db", db, "--resolver", Self.deadResolver, "--quiet"])
        #expect(scan.status == 0, "\(scan.err)")
        try Self.reopen(db: db)  // what a kill -9 after ten entries leaves

        _ = try scratch.write("list.txt", (0..<20).reversed().map { "not valid \($0)!\n" }.joined())
        let shuffled = try StsscanBinary.run(["scan", list, "--db", db, "--resume", "--resolver", Self.deadResolver, "--quiet"])
        #expect(shuffled.status != 0 && shuffled.err.contains("changed since the scan started"), "\(shuffled.err)")
        #expect(try Self.count(db, "SELECT count(*) FROM domain_results") == 10)

        _ = try scratch.write("list.txt", original)
        let resumed = try StsscanBinary.run(["scan", list, "--db", db, "--resume", "--resolver", Self.deadResolver, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(try Self.count(db, "SELECT count(DISTINCT position) FROM domain_results") == 20)
        #expect(try Self.count(db, "SELECT count(*) FROM scans WHERE finished_at IS NOT NULL AND errors = 20") == 1)
    }

    /// Marks the finished scan unfinished again (what a kill -9 before the finish leaves).
    static func reopen(db: String) throws {
        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: "UPDATE scans SET finished_at = NULL")
            try db.execute(sql: "DELETE FROM domain_results WHERE position >= 10")
        }
    }

    // MARK: one scan per database; Ctrl-C on an idle input

    /// A first scan reads a pipe that pauses. A second scan of the same database is refused
    /// at once; SIGINT stops the first promptly with the entries it finished stored.
    @Test func secondScanRefusedAndIdleInputObeysSIGINT() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fifo = scratch.path("list.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = open(fifo, O_RDWR)
        defer { close(writer) }
        let db = scratch.path("scan.sqlite")
        let first = try BackgroundStsscan(["scan", fifo, "--db", db, "--resolver", Self.deadResolver])
        let lines = Array((0..<5).map { "not valid \($0)!\n" }.joined().utf8)
        _ = lines.withUnsafeBytes { Glibc.write(writer, $0.baseAddress, $0.count) }
        // Stored while the input pauses (the 1 s flush runs on a timer).
        try await first.waitForRows(in: db, atLeast: 5, timeout: .seconds(20))
        #expect(try Self.count(db, "SELECT count(*) FROM domain_results") == 5)

        // A list that opens: a missing one is refused before the lock is even tried.
        let other = try scratch.write("other.txt", "not valid!\n")
        let second = try await StsscanBinary.runBlocking(["scan", other, "--db", db,
                                                          "--resolver", Self.deadResolver, "--quiet"])
        #expect(second.status != 0 && second.err.contains("in use by another scan"), "\(second.err)")

        let interrupted = ContinuousClock.now
        kill(first.process.processIdentifier, SIGINT)
        let (status, output) = try await first.wait(timeout: .seconds(20))
        #expect(ContinuousClock.now - interrupted < .seconds(5), "the first SIGINT is obeyed")
        #expect(status == 130, "\(output)")
        #expect(try Self.count(db, "SELECT count(*) FROM domain_results") == 5)
    }

    /// `scan /dev/zero` (one endless line) stops on the first SIGINT.
    @Test func endlessInputObeysTheFirstSIGINT() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let scan = try BackgroundStsscan(["scan", "/dev/zero", "--db", scratch.path("zero.sqlite"),
                                          "--resolver", Self.deadResolver, "--quiet"])
        try await Task.sleep(for: .milliseconds(1000))
        let interrupted = ContinuousClock.now
        kill(scan.process.processIdentifier, SIGINT)
        let (status, output) = try await scan.wait(timeout: .seconds(20))
        #expect(ContinuousClock.now - interrupted < .seconds(5))
        #expect(status == 130, "\(output)")
    }

    // MARK: sql

    @Test func sqlStreamsAndOnlyReads() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let db = try Self.scanDatabase(scratch)
        for query in ["SELECT fts3_tokenizer('simple')", "SELECT fts3_tokenizer('simple', x'0000000000000000')",
                      "SELECT load_extension('/nonexistent')"] {
            let run = try StsscanBinary.run(["sql", "--db", db, query])
            #expect(run.status != 0 && run.err.contains("not authorized"), "\(query): \(run.out) \(run.err)")
        }
        for query in ["DELETE FROM scans", "PRAGMA journal_mode = DELETE", "ATTACH DATABASE '/tmp/x.sqlite' AS x"] {
            let run = try StsscanBinary.run(["sql", "--db", db, query])
            #expect(run.status != 0, "\(query) must be refused")
        }
        #expect(try Self.count(db, "SELECT count(*) FROM scans") == 1)

        // A million rows: streamed, so the process stays small (it held 244 MB before).
        let million = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
            + "SELECT i, 'domain' || i || '.example' AS domain FROM n"
        for format in [["--csv"], ["--json"], []] {
            let run = try StsscanBinary.run(["sql", "--db", db] + format + [million],
                                            launcher: ["/usr/bin/time", "-f", "maxrss-kb %M"])
            #expect(run.status == 0, "\(run.err)")
            let rss = run.err.split(separator: "\n").compactMap { line -> Int? in
                line.hasPrefix("maxrss-kb ") ? Int(line.dropFirst("maxrss-kb ".count)) : nil
            }.first ?? Int.max
            #expect(rss < 80_000, "sql \(format) used \(rss) KiB for a million rows")
            let lines = run.stdout.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            #expect(lines >= 1_000_000)
        }
        let table = try StsscanBinary.run(["sql", "--db", db, "SELECT 1 AS n, 'x' AS t UNION ALL SELECT 22, 'yy'"])
        #expect(table.out == " n  t\n--  --\n 1  x\n22  yy\n", "\(table.out)")  // as TextRenderer.table
    }
}
