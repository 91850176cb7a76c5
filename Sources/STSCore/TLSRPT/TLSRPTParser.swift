/// Parses and selects among the TXT records at `_smtp._tls.<domain>`.
/// Spec: rfc8461-8460-rules.md §6 (RFC 8460 §3).
public enum TLSRPTParser {
    static let version = "v=TLSRPTv1"

    /// Evaluates all TXT records at the name, each already joined from its strings. Same
    /// selection as `STSRecordParser.evaluate`, with `v=TLSRPTv1`: only records beginning
    /// `v=TLSRPTv1 *WSP ";"` are counted, look-alikes are discarded before counting (§6);
    /// `valid` for exactly one grammatical TLSRPTv1 record; `invalid` for two or more, or
    /// for none but look-alikes (each explained, as `tlsrpt-syntax` or by its grammar
    /// findings); `absent` when nothing looks like TLS-RPT.
    public static func evaluate(_ records: [String]) -> TLSRPTVerdict {
        evaluate(rawRecords: records.map { Array($0.utf8) })
    }

    /// The same, on raw record bytes (TXT data need not be UTF-8; invalid bytes then show
    /// as `\xNN` in details instead of U+FFFD).
    public static func evaluate(rawRecords records: [[UInt8]]) -> TLSRPTVerdict {
        var v1: [(position: Int, bytes: [UInt8])] = []
        var lookalikes: [Finding] = []
        for (position, bytes) in records.enumerated() {
            let all = bytes[...]
            let label = records.count > 1 ? "record \(position + 1): " : ""
            let quoted = "\"" + DetailText.sanitize(bytes: bytes) + "\""
            switch STSRecordParser.versionPrefix(all, version) {
            case .delimited:
                v1.append((position, bytes))
            case .undelimited:
                lookalikes += parse(bytes, label: label).findings
            case .absent:
                if ASCII.hasPrefixIgnoringCase(all, "v=TLSRPT") {
                    lookalikes.append(Finding(.tlsrptSyntax, label + "does not start with exactly \"v=TLSRPTv1\": " + quoted))
                } else if ASCII.contains(all, version) {
                    lookalikes.append(Finding(.tlsrptSyntax, label + "\"v=TLSRPTv1\" is not the first field: " + quoted))
                }
            }
        }

        if v1.count > 1 {
            let positions = DetailText.sanitize(v1.map { String($0.position + 1) }.joined(separator: ", "))
            return TLSRPTVerdict(status: .invalid, rua: [],
                                 findings: [Finding(.tlsrptMultipleRecords, "\(v1.count) TLSRPTv1 records (records \(positions))")])
        }
        if let only = v1.first {
            let label = records.count > 1 ? "record \(only.position + 1): " : ""
            let (rua, findings) = parse(only.bytes, label: label)
            let usable = findings.isValid
            return TLSRPTVerdict(status: usable ? .valid : .invalid, rua: usable ? rua : [], findings: findings)
        }
        if !lookalikes.isEmpty {
            return TLSRPTVerdict(status: .invalid, rua: [], findings: lookalikes)
        }
        let detail = records.isEmpty ? "" : "\(records.count) unrelated TXT record\(records.count == 1 ? "" : "s")"
        return TLSRPTVerdict(status: .absent, rua: [], findings: [Finding(.tlsrptAbsent, detail)])
    }

    static func parse(_ bytes: [UInt8], label: String) -> (rua: [String], findings: [Finding]) {
        let split = TagValueRecord(bytes, versionLength: version.utf8.count)
        var findings: [Finding] = []
        for problem in split.problems {
            findings.append(Finding(.tlsrptSyntax, label + TagValueRecord.describe(problem)))
        }
        var rua: [String] = []
        var ruaFields = 0
        for field in split.fields {
            let text = "field \(field.index): \"" + DetailText.sanitize(bytes: field.text) + "\""
            if field.name.elementsEqual("rua".utf8) {
                ruaFields += 1
                // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
                for piece in field.value.split(separator: ASCII.comma, omittingEmptySubsequences: false) {
                    let uri = TagValueRecord.dropTrailingWSP(piece.drop(while: ASCII.isWSP))
                    if let problem = ReportURI.problem(uri) {
                        findings.append(Finding(.tlsrptBadURI, label + problem + ": \"" + DetailText.sanitize(bytes: uri) + "\""))
                    } else {
                        rua.append(String(decoding: uri, as: UTF8.self))
                    }
                }
            } else if ASCII.isExtensionName(field.name) && ASCII.isRecordExtensionValue(field.value) {
                findings.append(Finding(.tlsrptExtension, label + text))
            } else {
                findings.append(Finding(.tlsrptSyntax, label + "invalid extension " + text))
            }
        }
        if ruaFields > 1 {
            findings.append(Finding(.tlsrptMultipleRUA, label + "\(ruaFields) rua fields"))
        }
        if ruaFields == 0 && !split.unreadable {
            let hint = split.fields.contains { ASCII.hasPrefixIgnoringCase($0.name, "rua") && $0.name.count == 3 }
                ? "field names are case-sensitive: write \"rua=\"" : ""
            findings.append(Finding(.tlsrptMissingRUA, label + hint))
        }
        return (rua, findings)
    }
}
