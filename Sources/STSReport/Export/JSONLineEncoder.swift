/// One `ExportedDomain` as one line of JSON (JSON Lines: an object and `\n`): the `results`
/// columns by name in the view's order, then `findings`, `mx_hosts` and `policy_mx`.
/// Integers are numbers, NULL is `null`, MX coverage is `true`/`false`/`null`. Every string
/// goes through `JSONEscaping` (control characters, U+2028/U+2029 escaped), so wire content
/// can neither break a line nor the object, and the line is valid UTF-8 (Swift strings are;
/// invalid bytes SQLite may hold come back as U+FFFD).
public enum JSONLineEncoder {
    public static func line(_ domain: ExportedDomain) -> String {
        var out = "{"
        for (index, name) in ScanRowReader.resultColumns.enumerated() {
            if index > 0 { out += "," }
            out += JSONEscaping.string(name) + ":"
            out += index < domain.columns.count ? JSONEscaping.value(domain.columns[index]) : "null"
        }
        out += ",\"findings\":["
        for (index, finding) in domain.findings.enumerated() {
            if index > 0 { out += "," }
            out += "{\"code\":" + JSONEscaping.string(finding.code)
                + ",\"severity\":" + JSONEscaping.string(finding.severity)
                + ",\"stage\":" + JSONEscaping.string(finding.stage)
                + ",\"detail\":" + (finding.detail.map(JSONEscaping.string) ?? "null") + "}"
        }
        out += "],\"mx_hosts\":["
        for (index, host) in domain.mxHosts.enumerated() {
            if index > 0 { out += "," }
            out += "{\"preference\":" + JSONEscaping.value(host.preference)
                + ",\"host\":" + JSONEscaping.string(host.host)
                + ",\"covered\":" + boolean(host.covered)
                + ",\"probe\":" + probe(host.probe) + "}"
        }
        out += "],\"policy_mx\":["
        out += domain.policyMX.map(JSONEscaping.string).joined(separator: ",")
        return out + "]}\n"
    }

    private static func probe(_ probe: ExportedDomain.Probe?) -> String {
        guard let probe else { return "null" }
        return "{\"outcome\":" + JSONEscaping.string(probe.outcome)
            + ",\"detail\":" + JSONEscaping.value(probe.detail)
            + ",\"address\":" + JSONEscaping.value(probe.address)
            + ",\"tls_version\":" + JSONEscaping.value(probe.tlsVersion)
            + ",\"cert_not_after\":" + JSONEscaping.value(probe.certNotAfter)
            + ",\"attempts\":" + JSONEscaping.value(probe.attempts) + "}"
    }

    /// SQLite's 1/0 as a JSON boolean; NULL (not computed) stays null.
    private static func boolean(_ value: ReportValue) -> String {
        switch value {
        case .integer(let int): int != 0 ? "true" : "false"
        case .real(let real): real != 0 ? "true" : "false"
        case .null: "null"
        case .text(let text): JSONEscaping.string(text)
        }
    }
}
