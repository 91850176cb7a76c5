import Foundation
import Testing

/// Runs the built `stsscan lint` and checks whole outputs and exit statuses (issue 2).
/// Exit status: 0 valid/match, 1 not, 2 usage error.
@Suite struct LintEndToEndTests {
    private func json(_ run: StsscanBinary.Run) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout))
        return try #require(object as? [String: Any], "not a JSON object: \(run.out)")
    }

    private func codes(_ object: [String: Any]) -> [String] {
        (object["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    private func policy(_ name: String) -> String {
        StsscanBinary.repositoryRoot.appendingPathComponent("datasets/policies/\(name)").path
    }

    /// No raw control bytes other than newline reach the terminal.
    private func expectPrintable(_ run: StsscanBinary.Run, sourceLocation: SourceLocation = #_sourceLocation) {
        for stream in [run.stdout, run.stderr] {
            let bad = stream.first { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }
            #expect(bad == nil, "raw control byte \(bad ?? 0) in output", sourceLocation: sourceLocation)
        }
    }

    // MARK: txt

    @Test func txtValid() throws {
        let run = try StsscanBinary.run(["lint", "txt", "v=STSv1; id=20240101T000000"])
        #expect(run.status == 0)
        #expect(run.out == "sts record: valid (id 20240101T000000)\n")
        #expect(run.err.isEmpty)
    }

    @Test func txtInvalidShowsFindingAndAdvice() throws {
        let run = try StsscanBinary.run(["lint", "txt", "v=STSv1; id=2024-01-01"])
        #expect(run.status == 1)
        #expect(run.out == """
            sts record: invalid (no usable STSv1 record)
            error txt-invalid-id: The id contains characters other than letters and digits. (field 2: "id=2024-01-01")
              fix: Use only A-Z, a-z and 0-9 in the id (no dashes, dots or spaces).

            """)
    }

    @Test func txtJSON() throws {
        let run = try StsscanBinary.run(["lint", "txt", "--json", "v=STSv1 ; id=abc; ext=1"])
        #expect(run.status == 0)
        let object = try json(run)
        #expect(object["valid"] as? Bool == true)
        #expect(object["status"] as? String == "valid")
        #expect(object["id"] as? String == "abc")
        #expect(codes(object) == ["txt-space-before-delimiter", "txt-extension"])
        let first = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(first["severity"] as? String == "warning")
        #expect(first["stage"] as? String == "sts-record")
        #expect(first["result_type"] as? String == "no-policy-found")
        #expect((first["message"] as? String)?.contains("erratum 6285") == true)
    }

    @Test func txtSeveralRecordsAtTheName() throws {
        let two = try json(StsscanBinary.run(["lint", "txt", "--json", "v=STSv1; id=a", "v=STSv1; id=b"]))
        #expect(two["valid"] as? Bool == false)
        #expect(two["id"] is NSNull)
        #expect(codes(two) == ["txt-multiple-records"])
        let absent = try StsscanBinary.run(["lint", "txt", "v=spf1 -all"])
        #expect(absent.status == 1)
        #expect(absent.out.hasPrefix("sts record: absent"))
        let withUnrelated = try StsscanBinary.run(["lint", "txt", "v=spf1 -all", "v=STSv1; id=x1"])
        #expect(withUnrelated.status == 0)
    }

    /// Look-alike records (rfc8461-8460-rules.md §1, §6) beside one good record leave it usable.
    @Test func txtLookalikesBesideAGoodRecord() throws {
        let run = try StsscanBinary.run(["lint", "txt", "--json", "v=STSv1", "v=STSv1 is not a policy",
                                         "V=STSv1; id=x", "v=STSv1; id=good"])
        #expect(run.status == 0, "\(run.out)")
        let object = try json(run)
        #expect(object["valid"] as? Bool == true)
        #expect(object["id"] as? String == "good")
        #expect(codes(object).isEmpty)
        let tlsrpt = try StsscanBinary.run(["lint", "tlsrpt", "v=TLSRPTv1", "v=TLSRPTv1; rua=mailto:r@example.com"])
        #expect(tlsrpt.status == 0)
        #expect(tlsrpt.out == "tlsrpt record: valid (rua mailto:r@example.com)\n")
    }

    // MARK: policy

    @Test func policySamples() throws {
        let enforce = try StsscanBinary.run(["lint", "policy", policy("enforce.txt")])
        #expect(enforce.status == 0)
        #expect(enforce.out == "policy: valid (mode enforce, max_age 604800, 2 mx patterns)\n")

        let crlf = try json(StsscanBinary.run(["lint", "policy", "--json", policy("testing-crlf.txt")]))
        #expect(crlf["valid"] as? Bool == true)
        #expect(crlf["mode"] as? String == "testing")
        #expect(crlf["max_age"] as? Int == 86400)
        #expect(crlf["mx"] as? [String] == ["mx1.example.org", "mx2.example.org"])
        #expect(codes(crlf).isEmpty)

        let none = try StsscanBinary.run(["lint", "policy", policy("none.txt")])
        #expect(none.status == 0)

        let broken = try StsscanBinary.run(["lint", "policy", "--json", policy("broken.txt")])
        #expect(broken.status == 1)
        let object = try json(broken)
        #expect(object["valid"] as? Bool == false)
        #expect(object["mode"] is NSNull)
        #expect(object["max_age"] is NSNull)
        #expect(codes(object) == ["policy-bad-mode", "policy-syntax", "policy-bad-mx", "policy-blank-line", "policy-max-age"])
    }

    @Test func policyFromStandardInput() throws {
        let body = Array("version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 3600\n".utf8)
        let run = try StsscanBinary.run(["lint", "policy", "-"], stdin: body)
        #expect(run.status == 0)
        #expect(run.out == """
            policy: valid (mode testing, max_age 3600, 1 mx pattern)
            warning policy-max-age-low: max_age is under one day: senders barely cache the policy. (line 4: "3600" < 86400)
              fix: Once the policy works, use weeks (RFC 8461 suggests e.g. 604800 or more).

            """)
    }

    @Test func policyEmptyFile() throws {
        let path = try StsscanBinary.temporaryFile([])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try StsscanBinary.run(["lint", "policy", "--json", path])
        #expect(run.status == 1)
        #expect(codes(try json(run)) == ["policy-empty"])
    }

    @Test func policyBinaryAndInvalidUTF8() throws {
        let binary: [UInt8] = Array("version: STSv1\nmode: \u{1b}[31menforce\n".utf8) + [0xFF, 0x00, 0xC3]
        let path = try StsscanBinary.temporaryFile(binary)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try StsscanBinary.run(["lint", "policy", path])
        #expect(run.status == 1)
        #expect(run.out.contains("error policy-invalid-utf8:"))
        #expect(run.out.contains("\\x1b"))
        expectPrintable(run)

        let invalid = try StsscanBinary.run(["lint", "policy", "--json", "-"], stdin: [0x76, 0x3D, 0xC0, 0xAF, 0x0A])
        #expect(invalid.status == 1)
        #expect(codes(try json(invalid)) == ["policy-invalid-utf8"])
    }

    @Test func policyHTML() throws {
        let run = try StsscanBinary.run(["lint", "policy", "-"], stdin: Array("<!DOCTYPE html>\n<html></html>\n".utf8))
        #expect(run.status == 1)
        #expect(run.out.contains("error policy-html:"))
    }

    /// 1 MB body: a verdict, not a crash; over 64 KiB is what a sender would reject.
    @Test func policyOneMegabyte() throws {
        let lines = ["version: STSv1", "mode: enforce", "max_age: 604800"]
            + (0..<45_000).map { "mx: mx\($0).example.com" }
        let body = Array(lines.joined(separator: "\n").utf8)
        #expect(body.count > 1_000_000)
        let run = try StsscanBinary.run(["lint", "policy", "--json", "-"], stdin: body)
        #expect(run.status == 1)
        let object = try json(run)
        #expect(codes(object) == ["http-body-too-large"])
        #expect((object["mx"] as? [String])?.count == 45_000)
    }

    @Test func policyUnreadableFileIsAUsageError() throws {
        let missing = try StsscanBinary.run(["lint", "policy", "/nonexistent/policy.txt"])
        #expect(missing.status == 2)
        #expect(missing.out.isEmpty)
        #expect(missing.err == "stsscan: cannot open '/nonexistent/policy.txt': No such file or directory\n")
        let directory = try StsscanBinary.run(["lint", "policy", "/"])
        #expect(directory.status == 2)
        #expect(directory.err.contains("Is a directory"))
    }

    // MARK: tlsrpt

    @Test func tlsrptValidAndInvalid() throws {
        let valid = try StsscanBinary.run(["lint", "tlsrpt", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"])
        #expect(valid.status == 0)
        #expect(valid.out == "tlsrpt record: valid (rua mailto:tlsrpt@example.com)\n")

        let merged = try json(StsscanBinary.run(["lint", "tlsrpt", "--json",
                                                 "v=TLSRPTv1; rua=mailto:a@example.com; rua=https://r.example.com/"]))
        #expect(merged["valid"] as? Bool == true)
        #expect(merged["rua"] as? [String] == ["mailto:a@example.com", "https://r.example.com/"])
        #expect(codes(merged) == ["tlsrpt-multiple-rua"])

        let bad = try StsscanBinary.run(["lint", "tlsrpt", "--json", "v=TLSRPTv1; rua=http://example.com"])
        #expect(bad.status == 1)
        #expect(codes(try json(bad)) == ["tlsrpt-bad-uri"])
        let badDomain = try StsscanBinary.run(["lint", "tlsrpt", "--json", "v=TLSRPTv1; rua=mailto:a@b.com:test"])
        #expect(badDomain.status == 1)
        #expect(codes(try json(badDomain)) == ["tlsrpt-bad-uri"])
    }

    // MARK: match

    @Test func matchExitStatus() throws {
        let yes = try StsscanBinary.run(["lint", "match", "*.example.com", "mx1.example.com."])
        #expect(yes.status == 0)
        #expect(yes.out == "match: \"*.example.com\" covers \"mx1.example.com.\"\n")
        let no = try StsscanBinary.run(["lint", "match", "--json", "*.example.com", "a.b.example.com"])
        #expect(no.status == 1)
        let object = try json(no)
        #expect(object["match"] as? Bool == false)
        #expect(object["valid"] as? Bool == true)
        let idn = try StsscanBinary.run(["lint", "match", "*.xn--mnchen-3ya.de", "mx.münchen.de"])
        #expect(idn.status == 0)
    }

    /// rfc8461-8460-rules.md §4: any host gets an answer, never a usage error.
    @Test func matchAnyHost() throws {
        for host in ["", "localhost", "*.x", ".x", "not a host", "x\u{1b}[31m.example.com"] {
            let run = try StsscanBinary.run(["lint", "match", "--json", "*.example.com", host])
            #expect(run.status == 1, "\(host): \(run.err)")
            #expect(run.err.isEmpty, "\(host)")
            let object = try json(run)
            #expect(object["match"] as? Bool == false, "\(host)")
            #expect(object["valid"] as? Bool == true, "\(host)")
            #expect(object["host"] as? String == host)
            #expect(codes(object) == ["mx-host-invalid"], "\(host)")
            expectPrintable(run)
        }
        let same = try StsscanBinary.run(["lint", "match", "x", "x"])
        #expect(same.status == 1)
        #expect(same.out.hasPrefix("no match: \"x\" does not cover \"x\"\nerror mx-host-invalid: "))
        let both = try json(StsscanBinary.run(["lint", "match", "--json", "*.*.b", "*.*.b"]))
        #expect(both["valid"] as? Bool == false)
        #expect(codes(both) == ["policy-bad-mx", "mx-host-invalid"])
    }

    // MARK: usage errors and hostile input

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["lint"], ["lint", "txt"], ["lint", "tlsrpt"], ["lint", "policy"], ["lint", "match", "a.b"],
                          ["lint", "frobnicate"], ["lint", "txt", "--colour", "v=STSv1; id=1"]] {
            let run = try StsscanBinary.run(arguments)
            #expect(run.status == 2, "\(arguments): \(run.status)")
            #expect(!run.err.isEmpty, "\(arguments)")
        }
        let help = try StsscanBinary.run(["lint", "--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("match"))
    }

    @Test func controlCharactersAreEscaped() throws {
        let run = try StsscanBinary.run(["lint", "txt", "v=STSv1; id=\u{1b}]0;pwned\u{07}\u{1b}[2J"])
        #expect(run.status == 1)
        #expect(run.out.contains("\\x1b]0"))
        expectPrintable(run)
        let hostile = try StsscanBinary.run(["lint", "match", "*.example.com", "x\u{1b}[31m.example.com"])
        #expect(hostile.status == 1)
        #expect(hostile.out.contains("\\x1b[31m"))
        expectPrintable(hostile)
    }

    /// Linux caps one argument at 128 KiB (MAX_ARG_STRLEN), so 1 MB of arguments is the
    /// largest single argument plus several more.
    @Test func oneMegabyteOfArguments() throws {
        let largest = "v=STSv1; id=abc; x=" + String(repeating: "y", count: 131_071 - 19)
        let others = (0..<7).map { "v=STSv1; id=\(String(repeating: "z", count: 130_000 - 12 - String($0).count))\($0)" }
        let run = try StsscanBinary.run(["lint", "txt", "--json", largest] + others)
        #expect(run.status == 1)
        #expect(codes(try json(run)) == ["txt-multiple-records"])
        #expect(run.stdout.count < 4096)
        let single = try StsscanBinary.run(["lint", "txt", largest])
        #expect(single.status == 0)
        #expect(single.stdout.count < 1024)
    }
}
