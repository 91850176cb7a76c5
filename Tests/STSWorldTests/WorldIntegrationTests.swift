import Foundation
import Testing
@testable import STSWorld

/// True when the servers, the echo module, dig and curl are installed.
let worldToolsInstalled: Bool = (try? WorldServers.checkInstalled()) != nil
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/dig")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

/// Starts a small world's real servers (NSD, dnsdist, nginx, Postfix) on 127.201.x.x, checks the
/// first domain of every scenario with `dig` and `curl` against its truth row, and stops
/// the world leaving no process behind. Skipped when the Debian server packages are absent.
@Suite(.serialized, .enabled(if: worldToolsInstalled,
                             "needs apt packages nsd dnsdist nginx-light libnginx-mod-http-echo postfix dnsutils curl"))
struct WorldIntegrationTests {

    /// `version *WSP ";"`: what makes a TXT record an STSv1 or TLSRPTv1 record (rules §1, §6).
    static func beginsWithVersion(_ record: String, _ version: String) -> Bool {
        record.hasPrefix(version) && record.dropFirst(version.count).drop { $0 == " " || $0 == "\t" }.first == ";"
    }

    /// What `dig` saw: a response code and the answer lines, or no reply at all.
    struct DigResult {
        let status: String?   // NOERROR, NXDOMAIN, SERVFAIL ...; nil = timed out
        let answers: [String]
        let truncated: Bool
    }

    var dnsIP: String
    let dir: URL

    init() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("integration", seed: 42, block: 201)
        self.dir = dir
        dnsIP = WorldAddresses(block: 201).dnsdistIP
    }

    func dig(_ name: String, _ type: String, _ extra: [String] = []) throws -> DigResult {
        let (_, output) = try WorldTestSupport.run("/usr/bin/dig", ["@\(dnsIP)", "+tries=1", "+timeout=1", "+nocookie"]
                                                   + extra + [name, type])
        let status = output.range(of: #"status: ([A-Z]+)"#, options: .regularExpression)
            .map { String(output[$0].dropFirst("status: ".count)) }
        var answers: [String] = []
        var inAnswer = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(";; ANSWER SECTION:") { inAnswer = true; continue }
            if inAnswer {
                if line.isEmpty { break }
                answers.append(String(line))
            }
        }
        let flags = output.split(separator: "\n").first { $0.hasPrefix(";; flags:") }?
            .dropFirst(";; flags:".count).split(separator: ";").first ?? ""
        return DigResult(status: status, answers: answers, truncated: flags.split(separator: " ").contains("tc"))
    }

    /// The RDATA of the answer lines of one type (dig pads fields with tabs or spaces).
    func rdata(_ result: DigResult, _ type: String) -> [String] {
        result.answers.compactMap { line in
            var rest = Substring(line)
            var fields: [Substring] = []
            while fields.count < 4 {
                rest = rest.drop { $0 == " " || $0 == "\t" }
                let field = rest.prefix { $0 != " " && $0 != "\t" }
                fields.append(field)
                rest = rest.dropFirst(field.count)
            }
            return fields[3] == type ? String(rest.drop { $0 == " " || $0 == "\t" }) : nil
        }
    }

    /// Joined TXT strings of the answer lines (`"a" "b"` -> `ab`).
    func txtValues(_ result: DigResult) -> [String] {
        rdata(result, "TXT").map { data in
            data.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map(\.element).joined()
        }
    }

    struct Fetch {
        let exit: Int32
        let status: Int
        let contentType: String
        let size: Int
        let verify: Int
        let body: String
    }

    func fetch(host: String, ip: String, timeout: Int) throws -> Fetch {
        let bodyFile = dir.appendingPathComponent("run/body-\(host)").path
        let (exit, output) = try WorldTestSupport.run("/usr/bin/curl", [
            "-sS", "-m", String(timeout), "--cacert", dir.appendingPathComponent("ca.pem").path,
            "--connect-to", "\(host):443:\(ip):443", "-o", bodyFile,
            "-w", "%{http_code} %{content_type}. %{size_download} %{ssl_verify_result}",
            "https://\(host)/.well-known/mta-sts.txt",
        ])
        let parts = output.split(separator: " ")
        let body = (try? String(contentsOfFile: bodyFile, encoding: .isoLatin1)) ?? ""
        return Fetch(exit: exit, status: Int(parts[0]) ?? 0, contentType: String(parts[1].dropLast()),
                     size: Int(parts[2]) ?? 0, verify: Int(parts[3]) ?? 0, body: body)
    }

    @Test func serversBehaveAsTruthSays() throws {
        let servers = WorldServers(directory: dir)
        defer { try? servers.stop(); try? FileManager.default.removeItem(at: dir) }
        try servers.start()
        let statuses = servers.status()
        #expect(statuses.map(\.name).sorted() == ["dnsdist", "nginx", "nsd", "postfix", "unbound"])
        #expect(statuses.allSatisfy { $0.pid != nil && $0.answering })
        let manifest = try WorldManifest.load(from: dir)
        #expect(manifest.dns.dnsdist == "127.201.53.2:53")
        #expect(manifest.dns.unbound == "127.201.53.3:53")
        try checkRecursiveResolver()

        // A second world on the same addresses must refuse to start, leaving nothing running.
        let (other, _) = try WorldTestSupport.smallWorld("integration-clash", seed: 43, block: 201)
        defer { try? FileManager.default.removeItem(at: other) }
        let clash = WorldServers(directory: other)
        #expect(throws: WorldError.self) { try clash.start() }
        #expect(clash.runningPids().isEmpty && clash.status().allSatisfy { $0.pid == nil })
        #expect(throws: WorldError.self) { try servers.start() }   // already running

        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        var seen = Set<String>()
        for row in rows where seen.insert(row.scenario).inserted {
            try check(row, fetchTimeout: manifest.scan.fetchTimeoutSeconds)
        }
        #expect(seen.count == Scenario.allCases.count)

        // Stop leaves nothing behind: every server pid and child is gone.
        let pids = servers.runningPids()
        #expect(pids.count >= 3)
        try servers.stop()
        for pid in pids { #expect(!ProcessTable.isAlive(pid), "pid \(pid) still running") }
        #expect(servers.status().allSatisfy { $0.pid == nil && !$0.answering })
    }

    /// The world's Unbound answers recursively what NSD serves (through dnsdist), and
    /// refuses to resolve anything outside the world's zones.
    private func checkRecursiveResolver() throws {
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        guard let domain = rows.first(where: { $0.scenario == "valid-enforce" })?.domain else {
            Issue.record("no valid-enforce domain"); return
        }
        let resolver = WorldAddresses(block: 201).unboundIP
        func ask(_ server: String, _ name: String, _ type: String) throws -> DigResult {
            var copy = self
            copy.dnsIP = server
            return try copy.dig(name, type, ["+time=3"])
        }
        let direct = try ask(dnsIP, domain, "MX")
        let recursive = try ask(resolver, domain, "MX")
        #expect(recursive.status == "NOERROR" && rdata(recursive, "MX").sorted() == rdata(direct, "MX").sorted(),
                "\(recursive)")
        #expect(!rdata(recursive, "MX").isEmpty)
        // Outside the world's TLDs: the root stub leads to NSD, which refuses; Unbound answers
        // SERVFAIL (or REFUSED) and asks nobody else.
        let outside = try ask(resolver, "example.fr", "A")
        #expect(outside.status == "SERVFAIL" || outside.status == "REFUSED", "\(outside)")
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func check(_ row: TruthRow, fetchTimeout: Int) throws {
        let d = row.domain
        let label = "\(row.scenario) \(d)"
        // The domain's MX lookup.
        let mx = try dig(d, "MX")
        switch row.mxStatus {
        case "ok": #expect(mx.status == "NOERROR" && !rdata(mx, "MX").isEmpty, "\(label)")
        case "nodata": #expect(mx.status == "NOERROR" && mx.answers.isEmpty, "\(label)")
        case "nxdomain": #expect(mx.status == "NXDOMAIN", "\(label)")
        case "timeout": #expect(mx.status == nil, "\(label)")
        case "servfail": #expect(mx.status == "SERVFAIL", "\(label)")
        default: Issue.record("unexpected mx_status \(row.mxStatus)")
        }
        // The _mta-sts record.
        let txt = try dig("_mta-sts.\(d)", "TXT", ["+ignore", "+bufsize=1232"])
        let txtTCP = try dig("_mta-sts.\(d)", "TXT", ["+tcp"])
        switch row.errorCode {
        case "txt-dns-timeout": #expect(txt.status == nil && txtTCP.status == nil, "\(label)")
        case "txt-dns-servfail": #expect(txt.status == "SERVFAIL", "\(label)")
        default:
            #expect(txtTCP.status != nil, "\(label)")
        }
        let records = txtValues(txtTCP).filter { $0.hasPrefix("v=STS") || $0.lowercased().hasPrefix("v=sts") || $0.contains("v=STSv1") }
        switch row.stsRecord {
        case "absent": #expect(records.isEmpty, "\(label)")
        case "valid":
            // Only records beginning `v=STSv1 *WSP ";"` count (rules §1): look-alikes may stand beside.
            let counted = records.filter { Self.beginsWithVersion($0, "v=STSv1") }
            #expect(counted.count == 1 && counted[0].contains("id=\(row.stsID!)"), "\(label): \(records)")
        case "invalid": #expect(!records.isEmpty, "\(label)")
        default: break
        }
        if row.scenario == Scenario.validDNSTruncated.rawValue || row.scenario == Scenario.validBigTXT.rawValue {
            #expect(txt.truncated && txtTCP.status == "NOERROR", "\(label): needs TCP")
        }
        // The TLS-RPT record.
        let rpt = try dig("_smtp._tls.\(d)", "TXT")
        switch row.tlsrptRecord {
        case "absent": #expect(txtValues(rpt).isEmpty && rpt.status != nil, "\(label)")
        case "valid": #expect(txtValues(rpt).filter { Self.beginsWithVersion($0, "v=TLSRPTv1") }.count == 1, "\(label)")
        case "invalid": #expect(!txtValues(rpt).isEmpty, "\(label)")
        default:
            #expect(rpt.status == (row.errorCode == "tlsrpt-dns-timeout" ? nil : "SERVFAIL"), "\(label)")
        }
        // The policy fetch.
        guard row.policyStatus != nil else { return }
        let host = "mta-sts.\(d)"
        let address = try dig(host, "A")
        let ip = rdata(address, "A").last
        switch row.errorCode {
        case "policy-host-nxdomain": #expect(address.status == "NXDOMAIN", "\(label)"); return
        case "policy-host-no-address": #expect(address.status == "NOERROR" && ip == nil, "\(label)"); return
        case "policy-host-dns-timeout": #expect(address.status == nil, "\(label)"); return
        case "policy-host-dns-servfail": #expect(address.status == "SERVFAIL", "\(label)"); return
        default: break
        }
        guard let ip else { Issue.record("\(label): policy host has no address"); return }
        let result = try fetch(host: host, ip: ip, timeout: fetchTimeout + 1)
        switch row.errorCode {
        case "connect-refused": #expect(result.exit == 7, "\(label)")
        case "tls-handshake-failed": #expect(result.exit == 35, "\(label)")
        case "cert-expired": #expect(result.exit == 60 && result.verify == 10, "\(label)")
        case "cert-name-mismatch": #expect(result.exit == 60, "\(label)")
        case "cert-untrusted": #expect(result.exit == 60 && [18, 19, 20, 21].contains(result.verify), "\(label)")
        case "http-not-found": #expect(result.status == 404, "\(label)")
        case "http-status": #expect(result.status == 500, "\(label)")
        case "http-redirect": #expect(result.status == 301, "\(label)")
        case "http-content-type": #expect(result.status == 200 && result.contentType.hasPrefix("text/html"), "\(label)")
        case "http-body-too-large": #expect(result.status == 200 && result.size > 65_536, "\(label)")
        case "fetch-timeout": #expect(result.exit == 28, "\(label): \(result)")
        default:
            // Fetched: 200 text/plain; a valid policy names its mode.
            #expect(result.exit == 0 && result.status == 200 && result.contentType == "text/plain", "\(label): \(result)")
            #expect(result.size <= 65_536, "\(label)")
            if row.policyStatus == "valid" { #expect(result.body.contains("mode: \(row.mode!)"), "\(label)") }
        }
    }
}
