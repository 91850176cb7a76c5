import Foundation
import STSCore
import Testing
@testable import STSWorld

/// `stsscan world build`: determinism, scenario coverage and consistent ground truth.
struct GeneratorTests {
    @Test func sameSeedBuildsSameFiles() throws {
        let (first, _) = try WorldTestSupport.smallWorld("det-a", seed: 5)
        let (second, _) = try WorldTestSupport.smallWorld("det-b", seed: 5)
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        let files = WorldTestSupport.files(under: first)
        #expect(files == WorldTestSupport.files(under: second))
        #expect(files.count > 100)
        for file in files {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            let b = try Data(contentsOf: second.appendingPathComponent(file))
            if file.hasSuffix(".crt") || file == "ca.pem" || file.hasPrefix("postfix/chains/") {
                // ECDSA signatures are randomised; everything they sign must be identical.
                // Postfix chain files start with the (identical) key.
                let (keyA, certsA) = Self.splitKey(String(decoding: a, as: UTF8.self))
                let (keyB, certsB) = Self.splitKey(String(decoding: b, as: UTF8.self))
                #expect(keyA == keyB, "key in \(file) differs")
                let tbsA = try CertificateFactory.toBeSignedParts(ofPEM: certsA)
                let tbsB = try CertificateFactory.toBeSignedParts(ofPEM: certsB)
                #expect(!tbsA.isEmpty && tbsA == tbsB, "certificate \(file) differs")
            } else {
                // Configs hold the directory path: compare with it replaced.
                let textA = String(decoding: a, as: UTF8.self).replacingOccurrences(of: first.path, with: "DIR")
                let textB = String(decoding: b, as: UTF8.self).replacingOccurrences(of: second.path, with: "DIR")
                #expect(textA == textB, "\(file) differs")
            }
        }
    }

    /// A PEM file's text before its first certificate, and the certificates.
    static func splitKey(_ text: String) -> (String, String) {
        guard let start = text.range(of: "-----BEGIN CERTIFICATE-----")?.lowerBound else { return (text, "") }
        return (String(text[..<start]), String(text[start...]))
    }

    @Test func otherSeedBuildsOtherWorld() throws {
        let (first, _) = try WorldTestSupport.smallWorld("seed-a", seed: 1)
        let (second, _) = try WorldTestSupport.smallWorld("seed-b", seed: 2)
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        #expect(try Data(contentsOf: first.appendingPathComponent("truth.csv"))
                != Data(contentsOf: second.appendingPathComponent("truth.csv")))
    }

    @Test func everyScenarioIsPresent() throws {
        let (dir, summary) = try WorldTestSupport.smallWorld("coverage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        let present = Set(rows.map(\.scenario))
        for scenario in Scenario.allCases { #expect(present.contains(scenario.rawValue), "missing \(scenario.rawValue)") }
        #expect(rows.count == 600)
        #expect(summary.adopting == 120)
        #expect(rows.filter { Scenario(rawValue: $0.scenario)!.adopting }.count == 120)
    }

    @Test func domainsFileMatchesTruthAndManifest() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("domains")
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try WorldManifest.load(from: dir)
        #expect(manifest.domains == 600 && manifest.seed == 42 && manifest.adoption == 0.2)
        #expect(manifest.scan == .init(fetchTimeoutSeconds: 3, dnsTimeoutMs: 800, dnsTries: 2))
        let lines = try String(contentsOf: dir.appendingPathComponent(manifest.domainsFile), encoding: .utf8)
            .split(separator: "\n")
        let rows = try TruthFile.read(dir.appendingPathComponent(manifest.truthFile))
        #expect(lines.count == rows.count)
        for (n, (line, row)) in zip(lines, rows).enumerated() {
            #expect(line == "\(n + 1),\(row.domain)")
            #expect(row.rank == n + 1)
        }
        #expect(Set(rows.map(\.domain)).count == rows.count, "domain names must be unique")
        #expect(rows.allSatisfy { $0.domain.allSatisfy { $0.isASCII } }, "names are A-labels")
        #expect(rows.contains { $0.domain.hasPrefix("xn--") && $0.domain.hasSuffix(".xn--p1ai") })
    }

    /// Spec: docs/architecture.md status columns and primary-finding rule.
    @Test func truthRowsAreConsistent() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("consistency")
        defer { try? FileManager.default.removeItem(at: dir) }
        for row in try TruthFile.read(dir.appendingPathComponent("truth.csv")) {
            let scenario = row.scenario
            #expect(["ok", "nodata", "nxdomain", "timeout", "servfail", "error"].contains(row.mxStatus))
            #expect(["absent", "valid", "invalid", "error"].contains(row.stsRecord))
            #expect(["absent", "valid", "invalid", "error"].contains(row.tlsrptRecord))
            let code = row.errorCode.map { FindingCode(rawValue: $0) }
            if let code { #expect(code?.severity == .error, "\(scenario): \(row.errorCode!) is not an error") }
            // A fetch happens only for a valid record; coverage only for a valid enforce/testing policy.
            if row.stsRecord != "valid" { #expect(row.policyStatus == nil && row.stsID == nil, "\(scenario)") }
            if row.stsRecord == "valid" { #expect(row.policyStatus != nil && row.stsID != nil, "\(scenario)") }
            if row.policyStatus == "valid" { #expect(row.mode != nil && row.maxAge != nil, "\(scenario)") }
            if row.policyStatus == "fetch-error" { #expect(row.mode == nil && row.maxAge == nil, "\(scenario)") }
            if row.mxCoverage != nil {
                #expect(row.policyStatus == "valid" && ["enforce", "testing"].contains(row.mode ?? ""), "\(scenario)")
            }
            if row.policyStatus == "valid", row.mode != "none", row.mxStatus == "ok",
               scenario != Scenario.mxNullEnforce.rawValue {
                #expect(row.mxCoverage != nil, "\(scenario)")
            }
            // Delivery: probed exactly when coverage is measured (valid enforce/testing policy, MX hosts).
            #expect((row.delivery != nil) == (row.mxCoverage != nil), "\(scenario)")
            if row.mxCoverage == "none" { #expect(row.delivery == "fails", "\(scenario)") }
            if row.mxCoverage == "some" { #expect(["degraded", "fails"].contains(row.delivery ?? ""), "\(scenario)") }
            let probeOnly = Scenario(rawValue: scenario)!.needsMXProbe
            if probeOnly { #expect(["degraded", "fails"].contains(row.delivery ?? ""), "\(scenario)") }
            // The primary finding is the first error in stage order.
            let stage = code??.stage
            if !["ok", "nodata"].contains(row.mxStatus) { #expect(stage == .domain, "\(scenario)") }
            else if ["invalid", "error"].contains(row.stsRecord) { #expect(stage == .stsRecord, "\(scenario)") }
            else if row.policyStatus == "fetch-error" { #expect(stage == .policyHost || stage == .fetch, "\(scenario)") }
            else if row.policyStatus == "invalid" { #expect(stage == .policy, "\(scenario)") }
            else if row.mxCoverage == "none" { #expect(code == .mxNotCovered, "\(scenario)") }
            else if probeOnly { #expect(stage == .mxTLS, "\(scenario)") }
            else if ["invalid", "error"].contains(row.tlsrptRecord) { #expect(stage == .tlsrpt, "\(scenario)") }
            else { #expect(code == nil, "\(scenario) has \(row.errorCode ?? "")") }
            // Scenario families.
            if scenario.hasPrefix("valid-") {
                #expect(row.stsRecord == "valid" && row.policyStatus == "valid" && row.errorCode == nil, "\(scenario)")
            }
            if scenario.hasPrefix("txt-") { #expect(row.stsRecord == "invalid", "\(scenario)") }
            if scenario.hasPrefix("fetch-") { #expect(row.policyStatus == "fetch-error", "\(scenario)") }
            if scenario.hasPrefix("policy-"), scenario != Scenario.policyHugeMXList.rawValue {
                #expect(row.policyStatus == "invalid", "\(scenario)")
            }
        }
    }

    @Test func filesMatchTheirScenarios() throws {
        let (dir, _) = try WorldTestSupport.smallWorld("files")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        func first(_ scenario: Scenario) -> String { rows.first { $0.scenario == scenario.rawValue }!.domain }
        func text(_ path: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }
        let com = try text("zones/com.zone") + text("zones/net.zone") + text("zones/org.zone")
            + text("zones/de.zone") + text("zones/io.zone") + text("zones/xn--p1ai.zone")
        let zoneLines = com.split(separator: "\n")
        // NXDOMAIN domains have no data at all.
        let nx = first(.nxdomain)
        #expect(!zoneLines.contains { $0.hasPrefix(nx + ".") || $0.contains("." + nx + ".\t") })
        // Faults reach dnsdist's name lists.
        #expect(try text("faults/drop.names").split(separator: "\n").contains { $0 == "_mta-sts." + first(.dnsTimeoutTXT) })
        #expect(try text("faults/servfail.names").split(separator: "\n").contains { $0 == first(.dnsServfailMX) })
        #expect(try text("faults/truncate.names").split(separator: "\n").contains { $0 == "_mta-sts." + first(.validDNSTruncated) })
        // Failure hosts reach nginx's server blocks.
        #expect(try text("hosts/status500.conf").contains("server_name mta-sts.\(first(.fetch500));"))
        #expect(try text("hosts/sleep.conf").contains("server_name mta-sts.\(first(.fetchSlowSleep));"))
        // The big TXT set cannot fit a 4096-byte UDP answer.
        let big = "_mta-sts.\(first(.validBigTXT)).\tIN\tTXT\t"
        let bigSize = zoneLines.filter { $0.hasPrefix(big) }.reduce(0) { $0 + $1.count - big.count }
        #expect(bigSize > 4096)
        // Oversized bodies are oversized, and certificates exist only where planned.
        let large = try Data(contentsOf: dir.appendingPathComponent("www/mta-sts.\(first(.fetchBodyTooLarge))"))
        #expect(large.count > 65_536)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/certs/mta-sts.\(first(.fetchTLSHandshake)).crt"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/www/mta-sts.\(first(.fetch404))"))
        #expect(FileManager.default.fileExists(atPath: dir.path + "/certs/mta-sts.\(first(.fetchCertExpired)).crt"))
        // An ordinary valid host shares a group certificate instead of having its own.
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/certs/mta-sts.\(first(.validEnforce)).crt"))
    }

    /// Hosts with a plain valid certificate and a policy file share certificates: every such
    /// host is in exactly one group, the group's certificate names exactly its hosts, and
    /// nginx serves each group from a block with that static certificate.
    @Test func groupedHostsShareCertificatesNamingThem() throws {
        let (dir, summary) = try WorldTestSupport.smallWorld("groups")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try TruthFile.read(dir.appendingPathComponent("truth.csv"))
        let hostFiles = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/hosts")
            .filter { $0.hasPrefix("cert-group-") }.sorted()
        #expect(hostFiles.count >= 2)
        let nginx = try String(contentsOf: dir.appendingPathComponent("nginx.conf"), encoding: .utf8)
        var grouped: [String] = []
        for file in hostFiles {
            let group = String(file.dropLast(".conf".count))
            let names = try String(contentsOf: dir.appendingPathComponent("hosts/\(file)"), encoding: .utf8)
                .split(separator: "\n").map { String($0.dropFirst("server_name ".count).dropLast()) }
            #expect(names.count <= CertificateGroups.hostsPerCertificate)
            let pem = try String(contentsOf: dir.appendingPathComponent("certs/\(group).crt"), encoding: .utf8)
            #expect(try CertificateFactory.dnsNames(ofPEM: pem) == names, "\(group)")
            #expect(nginx.contains("include \(dir.path)/hosts/\(file);\n        ssl_certificate \(dir.path)/certs/\(group).crt;"))
            grouped += names
        }
        #expect(Set(grouped).count == grouped.count)
        for name in grouped { #expect(!FileManager.default.fileExists(atPath: dir.path + "/certs/\(name).crt")) }
        let validEnforce = rows.filter { $0.scenario == Scenario.validEnforce.rawValue }.map { "mta-sts." + $0.domain }
        #expect(!validEnforce.isEmpty && Set(validEnforce).isSubset(of: Set(grouped)))
        let expired = rows.filter { $0.scenario == Scenario.fetchCertExpired.rawValue }.map { "mta-sts." + $0.domain }
        #expect(!expired.isEmpty && Set(expired).isDisjoint(with: Set(grouped)))
        let ownFiles = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/certs")
            .filter { !$0.hasPrefix("cert-group-") }.count
        #expect(summary.certificates == ownFiles + hostFiles.count)
    }

    @Test func refusesForeignNonEmptyDirectory() throws {
        let dir = WorldTestSupport.temporaryDirectory("foreign")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: WorldError.self) {
            try WorldBuilder(directory: dir, domains: 10, adoption: 0.1, seed: 1, latencyMs: 0).build()
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("notes.txt").path))
    }
}
