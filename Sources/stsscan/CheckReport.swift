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
            out += "  \(finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(finding.code.rawValue): \(DetailText.escapeForTerminal(finding.message))\n"
            if !finding.code.advice.isEmpty && finding.severity != .info { out += "          fix: \(finding.code.advice.replacingOccurrences(of: "<domain>", with: r.domain))\n" }
        }
        if let primary = r.primaryError {
            out += "\nVerdict: broken (\(primary.code.rawValue), RFC 8460 result type \(primary.resultType.rawValue))\n"
        } else if r.delivery == .degraded {
            out += "\nVerdict: MTA-STS works (mode \(r.mode?.rawValue ?? "?")), but some MX hosts fail: see the findings\n"
        } else if r.stsRecord == .valid && r.policyStatus == .valid {
            out += "\nVerdict: MTA-STS works (mode \(r.mode?.rawValue ?? "?"))\n"
        } else {
            out += "\nVerdict: no MTA-STS policy, nothing broken\n"
        }
        return out
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
                 "result_type": $0.resultType.rawValue, "message": $0.message, "detail": $0.detail, "advice": $0.code.advice]
            },
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
