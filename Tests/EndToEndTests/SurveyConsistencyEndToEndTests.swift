import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 23, surveys that stay consistent: `--resume` with another CA file is refused,
/// naming it; without it the recorded CA (and resolver, rate) is taken and the scan equals
/// the world's truth; the "resume it with" line of `report` is a command that works; a
/// report of a running scan says it is running and partial; the summary gives the steady
/// rate. World on address block 240.
@Suite(.serialized) struct SurveyConsistencyEndToEndTests {
    @Test func resumeTakesTheRecordedOptionsOrRefusesADifference() async throws {
        let world = try await TestWorld.started(domains: 3000, adoption: 0.3, seed: 2301, addressBlock: 240)
        defer { world.stop() }
        let db = world.databasePath
        // Slowed by a query rate, recorded with the options, so the kill lands mid-run and the
        // resumed run (which takes the rate from the record) runs long enough to be watched.
        let first = try BackgroundStsscan(["world", "scan", world.directory.path, "--db", db, "--rate", "500", "--quiet"])
        try await first.waitForRows(in: db, atLeast: 100)
        let wasRunning = first.process.isRunning
        kill(first.process.processIdentifier, SIGKILL)
        _ = try await first.wait()
        let partial = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(wasRunning && partial > 0 && partial < 3000, "the kill should interrupt the scan (\(partial) rows)")

        // Another CA file (the same certificates under another name) is a difference: refused, named.
        let otherCA = world.directory.appendingPathComponent("other-ca.pem").path
        try FileManager.default.copyItem(atPath: world.directory.appendingPathComponent(world.manifest.caFile).path, toPath: otherCA)
        let refused = try await StsscanBinary.runBlocking(["scan", world.domainsPath, "--db", db, "--resume", "--ca-file", otherCA])
        #expect(refused.status != 0, "\(refused.err)")
        #expect(refused.err.contains("--ca-file: the scan has \(world.directory.appendingPathComponent(world.manifest.caFile).path), "
                                     + "this run gives \(otherCA)"), "\(refused.err)")
        #expect(refused.err.contains("leave this option out to take the recorded value"), "\(refused.err)")
        let rowsAfterRefusal = try await world.database().read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0 }
        #expect(rowsAfterRefusal == partial)

        // The report's resume line, run as printed, continues with the recorded options.
        let report = try await StsscanBinary.runBlocking(["report", "--db", db])
        let marker = "Resume it with: "
        let line = try #require(report.err.components(separatedBy: "\n").first { $0.contains(marker) }, "\(report.err)")
        let command = line.components(separatedBy: marker)[1].trimmingCharacters(in: .whitespaces)
        #expect(command == "stsscan scan \(world.domainsPath) --db \(db) --resume", "\(command)")
        let words = command.split(separator: " ").dropFirst().map(String.init)
        let resumed = try BackgroundStsscan(words)

        // While it runs, report says so: running, its progress, partial figures; no resume advice.
        var running = ""
        for _ in 0..<40 where resumed.process.isRunning {
            try await Task.sleep(for: .milliseconds(250))
            let during = try await StsscanBinary.runBlocking(["report", "--db", db, "--format", "md"])
            if during.err.contains("is running") { running = during.err + during.out; break }
        }
        #expect(running.contains("Scan 1 is running") && running.contains("entries stored so far of about 3000")
                && running.contains("the figures are partial"), "\(running)")
        #expect(!running.contains("Resume it with"), "\(running)")

        let (status, output) = try await resumed.wait()
        #expect(status == 0, "\(output)")
        let ca = world.directory.appendingPathComponent(world.manifest.caFile).path
        #expect(output.contains("options        taken from the scan's record (--resume): --resolver ")
                && output.contains("--ca-file \(ca)") && output.contains("--rate 500"), "\(output)")
        #expect(output.contains("steady: "), "\(output)")
        let mismatches = try TruthComparison.mismatches(world, throughResolver: true)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// The operator's check: a resolver that does not answer is an environment error (exit
    /// 3, no verdict); a policy URL checks its domain; `--json` carries every field of the
    /// text (verdict line, delivery meaning, advice with the domain, the policy body, the
    /// ready-for-enforce line, the starter record); library text is a finding's detail.
    /// World on address block 241; the dead resolver is 127.242.53.9 (nothing listens).
    @Test func theOperatorsCheck() async throws {
        let dead = try await StsscanBinary.runBlocking(["check", "example.com", "--resolver", "127.242.53.9:53",
                                                        "--dns-timeout", "0.3", "--dns-tries", "1"])
        #expect(dead.status == 3, "\(dead.status) \(dead.err)")
        #expect(dead.err.contains("does not answer") && !dead.out.contains("Verdict"), "\(dead.out)\n\(dead.err)")
        let deadJSON = try await StsscanBinary.runBlocking(["check", "example.com", "--resolver", "127.242.53.9:53",
                                                            "--dns-timeout", "0.3", "--dns-tries", "1", "--json"])
        #expect(deadJSON.status == 3)
        let deadObject = try #require(try JSONSerialization.jsonObject(with: Data(deadJSON.stdout)) as? [String: Any])
        #expect(deadObject["environment_error"] is String && deadObject["verdict"] is NSNull)

        let world = try await TestWorld.started(domains: 400, adoption: 0.5, seed: 5, addressBlock: 241)
        defer { world.stop() }
        let options = ["--resolver", try #require(world.manifest.dns.unbound),
                       "--ca-file", world.directory.appendingPathComponent(world.manifest.caFile).path]
        let truth = try world.truth()
        let testing = try #require(truth.first { $0.scenario == "valid-testing" && $0.delivery == "ok" })
        let url = "https://mta-sts.\(testing.domain)/.well-known/mta-sts.txt"
        let viaURL = try await StsscanBinary.runBlocking(["check", url] + options)
        #expect(viaURL.status == 0, "\(viaURL.err)")
        #expect(viaURL.err.contains("checking the domain \(testing.domain), whose policy host is mta-sts.\(testing.domain)"),
                "\(viaURL.err)")
        #expect(viaURL.out.hasPrefix("stsscan check \(testing.domain)\n"))
        #expect(viaURL.out.contains("Ready for enforce: every MX host is covered"), "\(viaURL.out)")
        #expect(viaURL.out.contains("Policy (https://mta-sts.\(testing.domain)/.well-known/mta-sts.txt") && viaURL.out.contains("  mode: testing"))

        // --json: every field of the text form.
        let json = try await StsscanBinary.runBlocking(["check", testing.domain, "--json"] + options)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let text = viaURL.out
        let verdictLine = try #require(object["verdict_line"] as? String)
        #expect(text.contains("Verdict: \(verdictLine)\n") && object["verdict"] as? String == "works")
        let meaning = try #require(object["delivery_meaning"] as? String)
        #expect(text.contains("delivery         ok: \(meaning)"))
        let body = try #require(object["policy_body"] as? String)
        #expect(body.contains("mode: testing"))
        let ready = try #require(object["ready_for_enforce"] as? String)
        #expect(text.contains("Ready for enforce: \(ready)"))
        // The policy host's certificate, as MX hosts get theirs: in the fetch step and as a field.
        let certificate = try #require(object["policy_certificate"] as? [String: Any], "\(json.out)")
        let issuer = try #require(certificate["issuer"] as? String)
        let notAfter = try #require(certificate["not_after"] as? String)
        #expect((certificate["san"] as? [String])?.contains("mta-sts.\(testing.domain)") == true, "\(certificate)")
        #expect(text.contains("      issuer: \(issuer)\n") && text.contains("      not after: \(notAfter)\n"), "\(text)")

        // A failing certificate is shown too: the one that expired, with its date in the past.
        if let expired = truth.first(where: { $0.errorCode == "cert-expired" }) {
            let failed = try await StsscanBinary.runBlocking(["check", expired.domain, "--json"] + options)
            let failedObject = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout)) as? [String: Any])
            let failedCertificate = try #require(failedObject["policy_certificate"] as? [String: Any], "\(failed.out)")
            let date = try #require(failedCertificate["not_after"] as? String)
            #expect(date < ISO8601DateFormatter().string(from: Date()), "\(date)")
            #expect(failedObject["error_code"] as? String == "cert-expired")
        } else {
            Issue.record("the world has no cert-expired domain")
        }

        // A domain with MX hosts and no record: a starter record and policy, in both forms.
        let absent = try #require(truth.first { $0.stsRecord == "absent" && $0.mxStatus == "ok" && $0.tlsrptRecord == "absent" })
        let plain = try await StsscanBinary.runBlocking(["check", absent.domain] + options)
        #expect(plain.out.contains("_mta-sts.\(absent.domain).  TXT  \"v=STSv1; id=") && plain.out.contains("    mode: testing"),
                "\(plain.out)")
        #expect(!plain.out.contains("<domain>"), "\(plain.out)")
        let plainJSON = try await StsscanBinary.runBlocking(["check", absent.domain, "--json"] + options)
        #expect(!plainJSON.out.contains("<domain>"), "\(plainJSON.out)")
        let starter = try #require((try JSONSerialization.jsonObject(with: Data(plainJSON.stdout)) as? [String: Any])?["starter"] as? [String])
        // The starter id is the time of the call (two calls may fall in different seconds).
        func withoutID(_ text: String) -> String { text.replacingOccurrences(of: #"id=[0-9]+"#, with: "id=", options: .regularExpression) }
        for line in starter { #expect(withoutID(plain.out).contains(withoutID(line)), "\(line)\n\(plain.out)") }

        // Library text (curl's) is the detail under the finding's own words.
        if let slow = truth.first(where: { $0.errorCode == "fetch-timeout" }) {
            let timedOut = try await StsscanBinary.runBlocking(["check", slow.domain, "--fetch-timeout", "2"] + options)
            #expect(timedOut.status == 1)
            #expect(timedOut.out.contains("fetch-timeout: Fetching the policy did not finish within the timeout.\n"
                                          + "          detail: curl 28"), "\(timedOut.out)")
        }
    }

    /// The small things: an unknown option is named (with the closest known one), a mistyped
    /// section gets the closest, every message starts with "stsscan:", a plain list's
    /// `domain` header is not an entry, `sql` says NULL. No world: the resolver 127.242.53.9
    /// does not answer, and a two-line list is shorter than the resolver check.
    @Test func unknownOptionsSectionsPrefixHeaderAndNull() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-small-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let unknown = try await StsscanBinary.runBlocking(["report", "--database", "x.sqlite"])
        #expect(unknown.status == 2)
        #expect(unknown.err.hasPrefix("stsscan: unknown option '--database' (did you mean --db?)\n"), "\(unknown.err)")
        #expect(!unknown.err.contains("Missing expected argument"), "\(unknown.err)")
        let section = try await StsscanBinary.runBlocking(["report", "--db", "x.sqlite", "--section", "modez"])
        #expect(section.err.hasPrefix("stsscan: unknown section modez (did you mean modes?)"), "\(section.err)")

        let list = dir.appendingPathComponent("plain.txt").path
        try "domain\nexample.com\n".write(toFile: list, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("s.sqlite").path
        let scan = try await StsscanBinary.runBlocking(["scan", list, "--db", db, "--resolver", "127.242.53.9:53", "--dns-timeout", "0.2",
                                                        "--dns-tries", "1", "--dns-requeries", "0", "--quiet"])
        #expect(scan.status == 0, "\(scan.err)")
        let rows = try await StsscanBinary.runBlocking(["sql", "--db", db, "SELECT domain, rank, mode FROM results"])
        #expect(rows.out == "domain       rank  mode\n-----------  ----  ----\nexample.com  NULL  NULL\n", "\(rows.out)")
        let csv = try await StsscanBinary.runBlocking(["sql", "--db", db, "--csv", "SELECT NULL AS n"])
        #expect(csv.out == "n\r\n\r\n", "\(csv.out)")

        // One prefix for every message: usage errors, the tool's own failures, lint's.
        let failures = [["report", "--db", dir.appendingPathComponent("none.sqlite").path],
                        ["scan", list, "--db", db, "--ca-file", dir.path],
                        ["world", "scan", dir.path],
                        ["lint", "policy", dir.appendingPathComponent("none.txt").path],
                        ["scan", list]]
        for arguments in failures {
            let run = try await StsscanBinary.runBlocking(arguments)
            #expect(run.status != 0 && run.err.hasPrefix("stsscan: ") && !run.err.contains("Error:"), "\(arguments): \(run.err)")
        }
    }
}
