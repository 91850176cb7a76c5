import Foundation
import GRDB
import Testing

/// `scan --jsonl` against a world: the stream parses line by line and equals `export` of the
/// same scan, on standard output and after kill -9 + `--resume` (each entry exactly once).
/// Worlds on address blocks 145 and 146.
@Suite(.serialized) struct JSONLinesEndToEndTests {
    @Test func streamOnStandardOutputEqualsExport() async throws {
        let world = try await TestWorld.started(domains: 3000, adoption: 0.2, seed: 1450, addressBlock: 145)
        defer { world.stop() }
        let scan = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath,
                                                        "--jsonl", "-"])
        #expect(scan.status == 0, "\(scan.err)")
        #expect(scan.err.contains("scan 1 finished"), "the summary stays on standard error")
        let streamed = try Self.parse(scan.out)
        let entries = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(streamed.count == entries && entries > 0)
        #expect(Set(streamed.map(\.position)).count == streamed.count, "each entry once")
        // The stream carries what a scan stores: policies, findings and probed MX hosts.
        #expect(scan.out.contains("\"policy_status\":\"valid\""))
        #expect(scan.out.contains("\"probe\":{\"outcome\":"))
        #expect(scan.out.contains("\"findings\":[{\"code\":"))

        let export = try await StsscanBinary.runBlocking(["export", "--db", world.databasePath, "--format", "jsonl"])
        #expect(export.status == 0, "\(export.err)")
        let exported = try Self.parse(export.out)
        #expect(exported.map(\.position) == exported.map(\.position).sorted(), "export is ordered by position")
        Self.expectEqual(Self.sorted(streamed), exported)

        let csv = try await StsscanBinary.runBlocking(["export", "--db", world.databasePath, "--format", "csv", "--scan", "1"])
        #expect(csv.status == 0, "\(csv.err)")
        #expect(csv.out.hasPrefix("scan_id,rank,domain,"))
    }

    @Test func killNineThenResumeRewritesTheFileWithEachEntryOnce() async throws {
        let world = try await TestWorld.started(domains: 5000, adoption: 0.2, seed: 1460, addressBlock: 146)
        defer { world.stop() }
        let file = world.directory.appendingPathComponent("stream.jsonl").path
        let scan = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", world.databasePath,
                                          "--concurrency", "200", "--quiet", "--jsonl", file])
        try await scan.waitForRows(in: world.databasePath, atLeast: 500)
        kill(scan.process.processIdentifier, SIGKILL)
        _ = try await scan.wait()
        let partial = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(partial < 5000, "the kill should interrupt the scan")
        // SIGKILL can cut a write() to a regular file at a page boundary (Linux checks for a
        // fatal signal between pages), so the killed stream may end in part of a line; every
        // whole line before it must parse.
        let killed = try String(contentsOfFile: file, encoding: .utf8)
        let before = try Self.parse(String(killed[..<(killed.lastIndex(of: "\n").map(killed.index(after:)) ?? killed.startIndex)]))
        #expect(before.count <= partial, "only stored rows are streamed")
        let early = try await StsscanBinary.runBlocking(["export", "--db", world.databasePath])
        #expect(early.status == 0 && early.err.contains("scan 1 is unfinished"), "\(early.err)")
        #expect(try Self.parse(early.out).count == partial, "an unfinished scan exports what is stored")

        let resumed = try await StsscanBinary.runBlocking(["world", "scan", world.directory.path, "--db", world.databasePath,
                                                           "--resume", "--quiet", "--jsonl", file])
        #expect(resumed.status == 0, "\(resumed.err)")
        let streamed = try Self.parse(String(contentsOfFile: file, encoding: .utf8))
        #expect(streamed.map(\.position).sorted() == Array(0..<5000), "every entry exactly once")
        let export = try await StsscanBinary.runBlocking(["export", "--db", world.databasePath])
        #expect(export.status == 0, "\(export.err)")
        Self.expectEqual(Self.sorted(streamed), try Self.parse(export.out))
    }

    @Test func exportRefusesWhatIsNotAScanDatabase() async throws {
        let path = try StsscanBinary.temporaryFile(Array("not a database at all, just text\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await StsscanBinary.runBlocking(["export", "--db", path])
        #expect(run.status == 1)
        #expect(run.err.contains("not an SQLite database"))
        #expect(run.out.isEmpty)
    }

    @Test func jsonlIsNeverTheListBeingScanned() async throws {
        let list = try StsscanBinary.temporaryFile(Array("example.com\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: list) }
        let db = list + ".sqlite"
        let run = try await StsscanBinary.runBlocking(["scan", list, "--db", db, "--resolver", "127.0.0.1:9", "--jsonl", list])
        #expect(run.status != 0 && run.err.contains("it is the domain list being scanned"), "\(run.err)")
        #expect(try String(contentsOfFile: list, encoding: .utf8) == "example.com\n", "the list is left intact")
        #expect(!FileManager.default.fileExists(atPath: db), "nothing recorded")
    }

    struct Line {
        let line: String
        let position: Int
    }

    /// Every line of `text` parsed as one JSON object (throws on any that is not).
    static func parse(_ text: String) throws -> [Line] {
        #expect(text.isEmpty || text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let object = object as? [String: Any], let position = object["position"] as? Int else {
                throw TestWorld.Failure("not an entry's object: \(line.prefix(200))")
            }
            return Line(line: String(line), position: position)
        }
    }

    static func sorted(_ lines: [Line]) -> [Line] { lines.sorted { $0.position < $1.position } }

    /// Equal line for line; on a difference, shows the first differing pair only.
    static func expectEqual(_ streamed: [Line], _ exported: [Line]) {
        #expect(streamed.count == exported.count)
        let differing = zip(streamed, exported).filter { $0.line != $1.line }
        #expect(differing.isEmpty, "\(differing.count) lines differ; first:\n\(differing.first?.0.line ?? "")\n\(differing.first?.1.line ?? "")")
    }
}
