import Foundation
import STSCore
import Testing
@testable import STSWorld

/// True when Postfix, openssl and dig are installed besides the other world servers.
let mailToolsInstalled: Bool = worldToolsInstalled
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    && getuid() == 0

/// The world's real Postfix on 127.130.55.x: starts a small world, checks every MX host
/// of the first domain of each scenario as `mx-hosts.csv` says (DNS with `dig`, SMTP and
/// STARTTLS with `openssl s_client -starttls smtp` or a plain socket), then stops it and
/// checks no process of that Postfix instance remains. Needs root (Postfix binds port 25).
@Suite(.serialized, .enabled(if: mailToolsInstalled,
                             "needs root and apt packages nsd dnsdist nginx-light libnginx-mod-http-echo postfix dnsutils openssl"))
struct MailIntegrationTests {
    static let block: UInt8 = 130

    @Test func mailHostsBehaveAsTruthSays() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-integration", seed: 42, block: Self.block)
        let addresses = WorldAddresses(block: Self.block)
        let servers = WorldServers(directory: dir)
        defer { try? servers.stop(); try? FileManager.default.removeItem(at: dir) }
        try servers.start()
        let postfix = servers.status().first { $0.name == "postfix" }
        #expect(postfix?.pid != nil && postfix?.answering == true && postfix?.address == "\(addresses.mailIP):25")

        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        let hosts = Dictionary(grouping: try MXHostTruth.read(dir.appendingPathComponent(MXHostTruth.fileName)), by: \.domain)
        var seen = Set<String>()
        var outcomes = Set<String>()
        for row in rows where row.delivery != nil && seen.insert(row.scenario).inserted {
            let list = hosts[row.domain] ?? []
            #expect(!list.isEmpty, "\(row.scenario)")
            for host in list {
                try check(host, scenario: row.scenario, dir: dir, addresses: addresses)
                outcomes.insert(host.outcome?.rawValue ?? "pass")
            }
        }
        #expect(outcomes.contains("mx-host-ipv6-only") == !WorldAddresses.ipv6Routable)
        #expect(outcomes.subtracting(["mx-host-ipv6-only"]) == ["pass", "mx-ip-literal", "mx-host-nxdomain", "mx-host-no-address", "mx-connect-refused",
                             "mx-greeting-timeout", "mx-smtp-error", "mx-starttls-missing", "mx-tls-handshake-failed",
                             "mx-cert-expired", "mx-cert-not-yet-valid", "mx-cert-untrusted", "mx-cert-name-mismatch"])

        // Stop leaves no process of this Postfix instance and nothing on its addresses.
        let pids = servers.runningPids()
        try servers.stop()
        for pid in pids { #expect(!ProcessTable.isAlive(pid), "pid \(pid) still running") }
        #expect(Self.processes(withMailConfig: "\(dir.path)/postfix").isEmpty)
        let served = addresses.ordinaryMailIPs.prefix(4) + [addresses.tarpitMailIP, addresses.rejectingMailIP]
        for ip in served + (WorldAddresses.ipv6Routable ? [addresses.ipv6MailIP] : []) {
            #expect(!Probe.tcpConnects(ip: ip, port: 25), "\(ip):25 still answers")
        }
        #expect(servers.status().allSatisfy { $0.pid == nil && !$0.answering })
    }

    /// A recorded pid that is not this world's Postfix (here: the test process itself) is
    /// never signalled by `stop`.
    @Test func stopLeavesForeignPidAlone() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("mail-foreign-pid", block: Self.block + 1)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileSink.write(Array("\(getpid())\n".utf8), to: "\(dir.path)/run/postfix.started.pid")
        let instance = PostfixInstance(directory: dir.path)
        #expect(instance.runningPid() == nil)
        try instance.stop()
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/run/postfix.started.pid"))
    }

    // MARK: - checks

    private func check(_ host: MXHostTruth, scenario: String, dir: URL, addresses: WorldAddresses) throws {
        let label = "\(scenario) \(host.domain) \(host.host)"
        if host.outcome == .mxIPLiteral {
            #expect(MXHostTruth.isIPv4Literal(host.host) && host.address.isEmpty, "\(label)")
            return
        }
        let (status, answers) = try Self.addresses(host.host, type: "A", at: addresses.dnsdistIP)
        let (_, answers6) = try Self.addresses(host.host, type: "AAAA", at: addresses.dnsdistIP)
        switch host.outcome {
        case .mxHostNXDomain: #expect(status == "NXDOMAIN", "\(label)"); return
        case .mxHostNoAddress: #expect(status == "NOERROR" && answers.isEmpty && answers6.isEmpty, "\(label)"); return
        case .mxHostIPv6Only: #expect(answers.isEmpty && !answers6.isEmpty, "\(label)"); return
        default:
            // The addresses a sender tries, in the served order (RFC 5321 §5.1): each but the last refuses.
            let tried = (host.attempts ?? "").components(separatedBy: ", ").map { String($0.split(separator: " ")[0]) }
            #expect(status == "NOERROR" && Array((answers + answers6).prefix(tried.count)) == tried && tried.last == host.address,
                    "\(label): \(answers) \(answers6)")
            for earlier in tried.dropLast() { #expect(!Probe.tcpConnects(ip: earlier, port: 25), "\(label): \(earlier)") }
        }
        let ip = host.address
        switch host.outcome {
        case .mxConnectRefused:
            #expect(!Probe.tcpConnects(ip: ip, port: 25), "\(label)")
            return
        case .mxGreetingTimeout:
            #expect(Probe.tcpConnects(ip: ip, port: 25), "\(label)")
            #expect(Probe.smtpGreeting(ip: ip, port: 25, timeoutMs: 2000) == nil, "\(label): greeted")
            return
        case .mxSMTPError:
            let greeting = Probe.smtpGreeting(ip: ip, port: 25)
            #expect(greeting?.hasPrefix("554 ") == true, "\(label): \(greeting ?? "none")")
            return
        default:
            #expect(Probe.smtpGreeting(ip: ip, port: 25)?.hasPrefix("220 ") == true, "\(label)")
        }
        let tls = try Self.run("/usr/bin/timeout", ["10", "/usr/bin/openssl", "s_client", "-starttls", "smtp", "-connect",
                                                    ip.contains(":") ? "[\(ip)]:25" : "\(ip):25", "-servername", host.host, "-verify_hostname", host.host,
                                                    "-CAfile", dir.appendingPathComponent("ca.pem").path, "-brief"])
        let out = tls.output
        let noSTARTTLS = out.contains("Didn't find STARTTLS")
        let verified = out.contains("Verification: OK")
        func verifyError(_ codes: [Int]) -> Bool { codes.contains { out.contains("verify error:num=\($0):") } }
        switch host.outcome {
        case nil: #expect(verified && !noSTARTTLS && out.contains("Protocol version: TLSv1.3"), "\(label): \(out)")
        case .mxStartTLSMissing: #expect(noSTARTTLS && !verified, "\(label): \(out)")
        case .mxTLSHandshakeFailed:
            #expect(!noSTARTTLS && tls.status != 0 && !out.contains("Protocol version"), "\(label): \(out)")
        case .mxCertExpired: #expect(verifyError([10]), "\(label): \(out)")
        case .mxCertNotYetValid: #expect(verifyError([9]), "\(label): \(out)")
        case .mxCertUntrusted: #expect(verifyError([18, 19, 20, 21]), "\(label): \(out)")
        case .mxCertNameMismatch: #expect(verifyError([62]) && !verifyError([10, 18, 19, 20, 21]), "\(label): \(out)")
        default: Issue.record("\(label): unexpected outcome \(String(describing: host.outcome))")
        }
    }

    /// `dig`'s status and the answer section's addresses of `type` (A or AAAA), in order.
    static func addresses(_ name: String, type: String, at server: String) throws -> (status: String?, answers: [String]) {
        let dig = try run("/usr/bin/dig", ["@\(server)", "+tries=1", "+timeout=1", "+nocookie", name, type])
        let status = dig.output.range(of: #"status: [A-Z]+"#, options: .regularExpression).map { String(dig.output[$0].dropFirst(8)) }
        // Answer lines: name TTL IN type address (dig pads with tabs or spaces).
        var answers: [String] = []
        var inAnswer = false
        for line in dig.output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(";; ANSWER SECTION:") { inAnswer = true; continue }
            if line.isEmpty { inAnswer = false }
            let fields: [Substring] = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if inAnswer && fields.count == 5 && fields[3] == type { answers.append(String(fields[4])) }
        }
        return (status, answers)
    }

    /// Pids whose environment names this Postfix configuration directory.
    static func processes(withMailConfig config: String) -> [Int32] {
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return all.filter { pid in
            guard ProcessTable.isAlive(pid), let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else {
                return false
            }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "MAIL_CONFIG=\(config)" }
        }
    }

    /// Runs a program with stdin from /dev/null; returns its status and stdout + stderr.
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
