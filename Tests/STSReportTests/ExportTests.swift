import Foundation
import GRDB
import STSCore
import STSReport
import STSStore
import Testing

/// `export` and the `scan --jsonl` stream: one object per entry, hostile wire content
/// escaped, nulls and numbers typed, and the stream equal to the export whatever the order
/// batches commit in.
@Suite struct ExportTests {
    static let epoch = Date(timeIntervalSince1970: 1_767_225_600)
    static let hostileDetail = "line1\nline2\r\u{2028}sep\u{2029}\u{1b}[31mred\u{7f}\u{85} \"quoted\" back\\slash \u{202e}rtl"
    static let hostileTXT = "v=STSv1; id=1;\u{1}\t=cmd|' /C calc'!A0"

    /// A temporary database of one scan with the given records, written by the real writer.
    static func database(_ batches: [[DomainRecord]], mxProbe: String = "policy") throws -> (URL, String, Int64) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsexport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("scan.sqlite").path
        let store = try ResultStore(path: path)
        let id = try store.beginScan(ScanMetadata(startedAt: epoch, toolVersion: "t", caresVersion: "c", curlVersion: "u",
                                                  sqliteVersion: "s", resolvers: ["127.0.0.1"],
                                                  options: ["mx_probe": mxProbe], inputName: "list", shard: nil))
        for batch in batches { try store.write(scanID: id, batch) }
        return (directory, path, id)
    }

    static func record(_ position: Int, _ domain: String, delivery: String? = nil, hosts: [String] = [],
                       probes: [String] = [], findings: [Finding] = [], rank: Int? = nil) -> DomainRecord {
        var record = DomainRecord(position: position, rank: rank, domain: domain, input: domain,
                                  scannedAt: epoch.addingTimeInterval(Double(position)))
        record.mxStatus = .ok
        record.stsRecord = .valid
        record.stsID = "20260101"
        record.policyStatus = .valid
        record.httpStatus = 200
        record.mode = .enforce
        record.maxAge = 604_800
        record.mxCoverage = hosts.isEmpty ? nil : .all
        record.tlsrptRecord = .absent
        record.durationMs = 5
        record.findings = findings
        record.mxHosts = hosts.enumerated().map { MXHost(preference: 10 * ($0.offset + 1), host: $0.element, covered: true) }
        record.policyMX = hosts
        record.delivery = delivery.map { Delivery(rawValue: $0)! }
        record.mxProbes = probes.map { MXProbeRecord(host: $0, address: "127.0.55.1", outcome: .ok, tlsVersion: "TLSv1.3",
                                                     elapsedMs: 1, probedAt: epoch,
                                                     attempts: [AddressAttempt(address: "127.0.55.8", outcome: "mx-connect-refused"),
                                                                AddressAttempt(address: "127.0.55.1", outcome: "ok")]) }
        return record
    }

    static func export(_ path: String, format: ScanExporter.Format = .jsonl) throws -> String {
        let out = path + ".\(format.rawValue)"
        try ScanExporter.export(ReportDatabase(path: path), scanID: nil, format: format,
                                to: ExportSink(path: out, protecting: [path]))
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func hostileContentIsEscapedAndRoundTrips() throws {
        var hostile = Self.record(0, "evil.example", delivery: "ok", hosts: ["mx.evil.example"], probes: ["mx.evil.example"],
                                  findings: [Finding(.policySyntax, Self.hostileDetail), Finding(.inputDuplicate, "first")],
                                  rank: 7)
        hostile.input = Self.hostileTXT
        hostile.stsCNAME = Self.hostileTXT
        var plain = Self.record(1, "plain.example")
        plain.stsID = nil
        plain.maxAge = nil
        let (directory, path, _) = try Self.database([[hostile, plain]])
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try Self.export(path)

        // One object per line: nothing from the wire breaks a line, in any line-splitting reader.
        #expect(text.split(separator: "\n").count == 2)
        for scalar in text.unicodeScalars where scalar != "\n" {
            #expect(scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value) && scalar != "\u{2028}" && scalar != "\u{2029}",
                    "raw U+\(String(scalar.value, radix: 16)) in the output")
        }
        let objects = try Self.objects(text)
        let first = objects[0], second = objects[1]
        #expect(Array(first.keys).count == ScanRowReader.resultColumns.count + 3)
        #expect(first["rank"] as? Int == 7)
        #expect(first["max_age"] as? Int == 604_800)
        #expect(first["position"] as? Int == 0)
        #expect(first["sts_cname"] as? String == Self.hostileTXT)
        #expect(first["error_detail"] as? String == Self.hostileDetail)
        let findings = try #require(first["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["policy-syntax"], "input-duplicate is left out")
        #expect(findings.first?["detail"] as? String == Self.hostileDetail)
        #expect(findings.first?["severity"] as? String == "error")
        let hosts = try #require(first["mx_hosts"] as? [[String: Any]])
        #expect(hosts.first?["covered"] as? Bool == true)
        #expect(hosts.first?["preference"] as? Int == 10)
        let probe = try #require(hosts.first?["probe"] as? [String: Any])
        #expect(probe["outcome"] as? String == "ok")
        #expect(probe["detail"] is NSNull)
        // Every address tried (RFC 5321 §5.1; issue 20), as mx_probes.attempts stores it.
        #expect(probe["attempts"] as? String == "127.0.55.8 mx-connect-refused, 127.0.55.1 ok")
        #expect(first["policy_mx"] as? [String] == ["mx.evil.example"])
        #expect(second["rank"] is NSNull)
        #expect(second["sts_id"] is NSNull)
        #expect(second["max_age"] is NSNull)
        #expect(second["delivery"] is NSNull)
        #expect((second["mx_hosts"] as? [Any])?.isEmpty == true)
    }

    @Test func invalidUTF8StoredByAnotherToolComesOutAsReplacementCharacters() throws {
        let (directory, path, id) = try Self.database([[Self.record(0, "a.example")]])
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE domain_results SET error_detail = CAST(x'61ff62c3' AS TEXT) WHERE scan_id = ?",
                           arguments: [id])
        }
        let text = try Self.export(path)
        let object = try #require(try Self.objects(text).first)
        #expect(object["error_detail"] as? String == "a\u{FFFD}b\u{FFFD}")
    }

    @Test func csvIsFlatAndFormulaSafe() throws {
        var hostile = Self.record(0, "evil.example", hosts: ["mx1.evil.example", "mx2.evil.example"],
                                  findings: [Finding(.policySyntax, Self.hostileDetail), Finding(.tlsrptMissingRUA, "x")])
        hostile.stsCNAME = "=cmd|' /C calc'!A0"
        let (directory, path, _) = try Self.database([[hostile]])
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.export(path, format: .csv)
        #expect(csv.hasPrefix(CSVRowEncoder.columns.joined(separator: ",") + "\r\n"))
        #expect(csv.contains(",'=cmd|' /C calc'!A0,"))
        #expect(csv.contains(",policy-syntax;tlsrpt-missing-rua,mx1.evil.example;mx2.evil.example\r\n"))
        #expect(csv.contains("\"line1\nline2\r"), "a multi-line detail is one quoted cell")
    }

    /// Batches commit out of position order, and a domain waiting for an MX probe that
    /// another domain runs is committed before the probe's row: the stream holds it back
    /// until the row is there, and ends equal to the export.
    @Test func streamEqualsExportWhateverTheCommitOrder() throws {
        let waiting = Self.record(5, "waiter.example", delivery: "ok", hosts: ["mx.shared.example"])
        let owner = Self.record(2, "owner.example", delivery: "ok", hosts: ["mx.shared.example"], probes: ["mx.shared.example"])
        // Not probed for itself (no delivery verdict), though its host is probed for others.
        let unprobed = Self.record(9, "unprobed.example", hosts: ["mx.shared.example"])
        let late = Self.record(1, "late.example", delivery: "fails", hosts: ["mx.never.example"])
        let (directory, path, id) = try Self.database([])
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ResultStore(path: path)
        let out = directory.appendingPathComponent("stream.jsonl").path
        let stream = JSONLinesStream(sink: try ExportSink(path: out, protecting: [path], streaming: true), databasePath: path)
        try stream.start(scanID: id)

        try store.write(scanID: id, [waiting, unprobed])
        try stream.committed(positions: [5, 9])
        let first = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(first.count == 1, "flushed per batch; the waiting domain is held back")
        #expect(first.first?.contains("\"position\":9") == true)

        try store.write(scanID: id, [owner, late])
        try stream.committed(positions: [2, 1])
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3, "the owner's probe row released the waiting domain; late's host has none yet")
        try stream.finish()
        let streamed = try String(contentsOfFile: out, encoding: .utf8)
        let exported = try Self.export(path)
        #expect(streamed.split(separator: "\n").count == 4)
        #expect(Self.byPosition(streamed) == exported)
        // The waiting domain's line carries the probe run by another domain; the domain
        // probed for nothing carries none.
        let lines = exported.split(separator: "\n")
        #expect(lines[2].contains("waiter.example") && lines[2].contains("\"probe\":{\"outcome\":\"ok\""))
        #expect(lines[3].contains("unprobed.example") && lines[3].contains("\"probe\":null"))

        // --resume: a new stream over the same scan rewrites the stored rows in position
        // order (late.example still waits for its host's probe row, so it comes at the end).
        let again = JSONLinesStream(sink: try ExportSink(path: out, protecting: [path], streaming: true), databasePath: path)
        try again.start(scanID: id)
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 3)
        try again.finish()
        let rewritten = try String(contentsOfFile: out, encoding: .utf8)
        #expect(rewritten.split(separator: "\n").last?.contains("late.example") == true)
        #expect(Self.byPosition(rewritten) == exported)
    }

    @Test func refusesAForeignDatabaseAndTheDatabaseAsOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsexport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let foreign = directory.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: foreign).write { db in
            try db.execute(sql: "CREATE TABLE scans(id INTEGER PRIMARY KEY); INSERT INTO scans VALUES (1)")
        }
        #expect(throws: ReportError.notAScanDatabase(foreign)) {
            try ScanExporter.export(ReportDatabase(path: foreign), scanID: nil, format: .jsonl,
                                    to: ExportSink(path: directory.appendingPathComponent("x").path, protecting: []))
        }
        let (dbDirectory, path, _) = try Self.database([[Self.record(0, "a.example")]])
        defer { try? FileManager.default.removeItem(at: dbDirectory) }
        #expect(throws: ReportError.self) { try ExportSink(path: path, protecting: [path]) }
    }

    /// The lines of `text` ordered by their `position`.
    static func byPosition(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        func position(_ line: String) -> Int {
            let tail = line.components(separatedBy: "\"position\":")[1]
            return Int(tail.prefix { $0.isNumber })!
        }
        return lines.sorted { position($0) < position($1) }.map { $0 + "\n" }.joined()
    }
}
