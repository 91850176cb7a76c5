import Foundation
import STSCore
import STSStore
import STSScanner

/// Renders a `check` result for a person (text) or a program (JSON).
enum CheckReport {
    static func text(_ r: DomainRecord, steps: [ProbeStep]) -> String {
        var out = "stsscan check \(DetailText.escapeForTerminal(r.domain))\n\nLookups\n"
        for step in steps {
            out += "  \(DetailText.escapeForTerminal(step.action))  ->  \(DetailText.escapeForTerminal(step.outcome))  [\(step.elapsedMs) ms]\n"
            for line in step.data.prefix(20) { out += "      \(DetailText.escapeForTerminal(String(line.prefix(200))))\n" }
            if step.data.count > 20 { out += "      ... \(step.data.count - 20) more\n" }
        }
        out += "\nSummary\n"
        out += "  MX lookup        \(r.mxStatus.rawValue)\(r.mxHosts.isEmpty ? "" : ": " + r.mxHosts.map { DetailText.escapeForTerminal($0.host) }.joined(separator: ", "))\n"
        out += "  MTA-STS record   \(r.stsRecord.rawValue)\(r.stsID.map { " (id=\(DetailText.escapeForTerminal($0)))" } ?? "")\n"
        out += "  policy           \(r.policyStatus?.rawValue ?? "not fetched")"
        if let mode = r.mode { out += ", mode \(mode.rawValue)" }
        if let maxAge = r.maxAge { out += ", max_age \(maxAge)" }
        out += "\n"
        if r.policyAttempts.count > 1 {
            out += "  policy addresses \(AddressAttempt.text(r.policyAttempts)!)\n"
        }
        if !r.policyMX.isEmpty {
            out += "  policy mx        \(r.policyMX.prefix(10).map { DetailText.escapeForTerminal($0) }.joined(separator: ", "))\(r.policyMX.count > 10 ? ", ..." : "")\n"
        }
        if let coverage = r.mxCoverage { out += "  MX coverage      \(coverage.rawValue)\n" }
        for probe in r.mxProbes {
            let tls = probe.tlsVersion.map { " (\($0))" } ?? ""
            out += "  MX STARTTLS      \(DetailText.escapeForTerminal(probe.host)): \(probe.outcome.rawValue)\(tls)\n"
            // Every address tried (RFC 5321 §5.1), when the host has more than the one that decided.
            if probe.attempts.count > 1 { out += "                   addresses: \(AddressAttempt.text(probe.attempts)!)\n" }
        }
        if let delivery = r.delivery { out += "  delivery         \(delivery.rawValue): \(CheckReport.meaning(delivery, mode: r.mode))\n" }
        out += "  TLS-RPT record   \(r.tlsrptRecord.rawValue)\(r.tlsrptRUA.isEmpty ? "" : ": " + r.tlsrptRUA.map { DetailText.escapeForTerminal($0) }.joined(separator: ", "))\n"

        out += "\nFindings\n"
        if r.findings.isEmpty { out += "  (none)\n" }
        for finding in r.findings {
            // The finding's own words first; what a library said (curl, OpenSSL, c-ares) is its detail.
            out += "  \(finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(finding.code.rawValue): \(DetailText.escapeForTerminal(summary(finding.code, domain: r.domain)))\n"
            if !finding.detail.isEmpty { out += "          detail: \(DetailText.escapeForTerminal(String(finding.detail.prefix(400))))\n" }
            if let fix = advice(finding.code, domain: r.domain), finding.severity != .info { out += "          fix: \(fix)\n" }
        }
        if let body = r.policyBody, !body.isEmpty {
            out += "\nPolicy (https://mta-sts.\(DetailText.escapeForTerminal(r.domain))/.well-known/mta-sts.txt, \(body.count) bytes)\n"
            var text = policyText(body)
            while text.hasSuffix("\n") { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40) {
                out += "  \(DetailText.escapeForTerminal(String(line.prefix(200))))\n"
            }
        }
        if let ready = readyForEnforce(r) { out += "\nReady for enforce: \(ready)\n" }
        if let starter = starter(r) {
            out += "\nTo publish MTA-STS (start in testing mode; switch to enforce once every MX host passes):\n"
            for line in starter { out += "  \(DetailText.escapeForTerminal(line))\n" }
        }
        out += "\nVerdict: \(verdict(r).line)\n"
        return out
    }

    /// The verdict: a status word for programs and the line people read.
    static func verdict(_ r: DomainRecord) -> (status: String, line: String) {
        if let primary = r.primaryError {
            return ("broken", "broken (\(primary.code.rawValue), RFC 8460 result type \(primary.resultType.rawValue))")
        } else if r.delivery == .degraded {
            return ("degraded", "MTA-STS works (mode \(r.mode?.rawValue ?? "?")), but some MX hosts fail: see the findings")
        } else if r.stsRecord == .valid && r.policyStatus == .valid {
            return ("works", "MTA-STS works (mode \(r.mode?.rawValue ?? "?"))")
        }
        return ("no-policy", "no MTA-STS policy, nothing broken")
    }

    /// Advice for the domain's operator: the catalog's, with the domain filled in; the codes
    /// whose catalog advice speaks to a survey's reader (the input list) get an operator's.
    static func advice(_ code: FindingCode, domain: String) -> String? {
        let text: String
        switch code {
        case .inputInvalidName: text = "Give the mail domain as a host name (letters, digits, hyphens and dots), e.g. example.com."
        case .domainNXDomain:
            text = "The name does not exist in DNS: check its spelling, or publish the domain's zone at its registrar's "
                + "name servers; a domain that does not exist receives no mail."
        default: text = code.advice
        }
        return text.isEmpty ? nil : text.replacingOccurrences(of: "<domain>", with: domain)
    }

    /// The code's summary with the domain in place of `<domain>`.
    static func summary(_ code: FindingCode, domain: String) -> String {
        code.summary.replacingOccurrences(of: "<domain>", with: domain)
    }

    /// The fetched policy as text (invalid UTF-8 shown as U+FFFD), CRLF as LF.
    static func policyText(_ body: [UInt8]) -> String {
        String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// A testing-mode policy whose every MX host is covered and passes: what to change to enforce.
    static func readyForEnforce(_ r: DomainRecord) -> String? {
        guard r.primaryError == nil, r.policyStatus == .valid, r.mode == .testing, r.delivery == .ok, !r.mxProbes.isEmpty
        else { return nil }
        return "every MX host is covered by the policy and passes STARTTLS with a valid certificate. Change "
            + "`mode: testing` to `mode: enforce` in the policy, then publish a new id in the _mta-sts.\(r.domain) TXT record "
            + "(e.g. id=\(newID())) so senders fetch it again; keep reading the TLS-RPT reports."
    }

    /// A starter record and policy for a domain with MX hosts and no MTA-STS record.
    static func starter(_ r: DomainRecord) -> [String]? {
        let hosts = r.mxHosts.map(\.host).filter { !$0.isEmpty && $0 != "." }
        guard r.stsRecord == .absent, r.mxStatus == .ok, !hosts.isEmpty else { return nil }
        var lines = ["_mta-sts.\(r.domain).  TXT  \"v=STSv1; id=\(newID())\"",
                     "https://mta-sts.\(r.domain)/.well-known/mta-sts.txt (text/plain, a certificate valid for mta-sts.\(r.domain)):",
                     "    version: STSv1", "    mode: testing"]
        lines += Array(Set(hosts)).sorted().map { "    mx: \($0)" }
        lines.append("    max_age: 86400")
        if r.tlsrptRecord == .absent {
            lines.append("_smtp._tls.\(r.domain).  TXT  \"v=TLSRPTv1; rua=mailto:tlsrpt@\(r.domain)\"  (reports of senders' failures)")
        }
        lines.append("Then run `stsscan lint policy FILE` on the policy and `stsscan check \(r.domain)` again.")
        return lines
    }

    /// A policy id from the current time (UTC, YYYYMMDDhhmmss): new ids sort after old ones.
    static func newID() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(format: "%04d%02d%02d%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// What a delivery verdict means for mail under the policy's mode.
    static func meaning(_ delivery: Delivery, mode: PolicyMode?) -> String {
        switch (delivery, mode) {
        case (.ok, _): "every MX host passes: compliant senders deliver over verified TLS"
        case (.degraded, .enforce): "compliant senders deliver only to the MX hosts that pass"
        case (.degraded, _): "some MX hosts would be skipped once the policy is in enforce mode"
        case (.fails, .enforce): "no MX host passes: compliant senders refuse to deliver (mail bounces)"
        case (.fails, _): "no MX host passes: switching to enforce would stop mail from compliant senders"
        }
    }

    static func json(_ r: DomainRecord, steps: [ProbeStep]) -> String {
        var object: [String: Any] = [
            "domain": r.domain, "input": r.input, "mx_status": r.mxStatus.rawValue,
            "mx_hosts": r.mxHosts.map { ["preference": $0.preference, "host": $0.host, "covered": $0.covered as Any] },
            "sts_record": r.stsRecord.rawValue, "sts_raw_records": r.stsRawRecords,
            "tlsrpt_record": r.tlsrptRecord.rawValue, "tlsrpt_rua": r.tlsrptRUA,
            "policy_mx": r.policyMX, "valid": r.primaryError == nil, "duration_ms": r.durationMs,
            "findings": r.findings.map {
                ["code": $0.code.rawValue, "severity": $0.severity.rawValue, "stage": $0.stage.rawValue,
                 "result_type": $0.resultType.rawValue, "message": $0.message.replacingOccurrences(of: "<domain>", with: r.domain),
                 "summary": summary($0.code, domain: r.domain),
                 "detail": $0.detail, "advice": advice($0.code, domain: r.domain) ?? ""]
            },
            "verdict": verdict(r).status, "verdict_line": verdict(r).line,
            "steps": steps.map { ["action": $0.action, "outcome": $0.outcome, "data": $0.data, "elapsed_ms": $0.elapsedMs] },
        ]
        object["sts_id"] = r.stsID ?? NSNull()
        object["sts_cname"] = r.stsCNAME ?? NSNull()
        object["policy_status"] = r.policyStatus?.rawValue ?? NSNull()
        object["policy_host_cname"] = r.policyHostCNAME ?? NSNull()
        object["policy_address"] = r.policyAddress ?? NSNull()
        object["policy_attempts"] = r.policyAttempts.map { ["address": $0.address, "outcome": $0.outcome] }
        object["http_status"] = r.httpStatus ?? NSNull()
        object["mode"] = r.mode?.rawValue ?? NSNull()
        object["max_age"] = r.maxAge ?? NSNull()
        object["mx_coverage"] = r.mxCoverage?.rawValue ?? NSNull()
        object["error_code"] = r.primaryError?.code.rawValue ?? NSNull()
        object["delivery"] = r.delivery?.rawValue ?? NSNull()
        object["delivery_meaning"] = r.delivery.map { meaning($0, mode: r.mode) } ?? NSNull()
        object["policy_body"] = r.policyBody.map { policyText($0) } ?? NSNull()
        object["policy_url"] = "https://mta-sts.\(r.domain)/.well-known/mta-sts.txt"
        object["ready_for_enforce"] = readyForEnforce(r) ?? NSNull()
        object["starter"] = starter(r) ?? NSNull()
        // The certificate of the last policy fetch that reached one (the address that answered,
        // or the last one tried).
        object["policy_certificate"] = steps.last(where: { $0.certificate != nil })?.certificate.map { certificate -> [String: Any] in
            ["subject": certificate.subject ?? NSNull(), "issuer": certificate.issuer ?? NSNull(),
             "san": certificate.dnsNames, "not_after": certificate.notAfter ?? NSNull(),
             "chain_length": certificate.chainLength]
        } ?? NSNull()
        object["mx_probes"] = r.mxProbes.map { probe -> [String: Any] in
            func value(_ text: String?) -> Any { text ?? NSNull() }
            return ["host": probe.host, "address": value(probe.address), "outcome": probe.outcome.rawValue,
                    "detail": value(probe.detail), "tls_version": value(probe.tlsVersion),
                    "tls_cipher": value(probe.tlsCipher), "cert_subject": value(probe.certSubject),
                    "cert_issuer": value(probe.certIssuer), "cert_san": probe.certSANs,
                    "cert_not_after": value(probe.certNotAfter), "cert_sha256": value(probe.certSHA256),
                    "attempts": probe.attempts.map { ["address": $0.address, "outcome": $0.outcome] }]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
