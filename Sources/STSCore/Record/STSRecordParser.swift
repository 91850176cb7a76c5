/// Parses and selects among the TXT records at `_mta-sts.<domain>`.
/// Spec: rfc8461-8460-rules.md §1 (RFC 8461 §3.1, erratum 6285).
public enum STSRecordParser {
    static let version = "v=STSv1"

    /// Evaluates all TXT records at the name, each already joined from its strings.
    ///
    /// - No record looks like MTA-STS (none starts with `v=STS` in any case, none contains
    ///   `v=STSv1`): `absent` with `txt-absent`. Unrelated records are ignored.
    /// - Exactly one record starts with `v=STSv1` (followed by `;`, whitespace or the end)
    ///   and it follows the grammar: `valid`. Records that merely look like MTA-STS are then
    ///   discarded silently, as senders do.
    /// - Otherwise `invalid`: `txt-multiple-records` for two or more STSv1 records, else the
    ///   findings of the one STSv1 record, else `txt-not-stsv1` / `txt-version-not-first`
    ///   for each MTA-STS-looking record.
    public static func evaluate(_ records: [String]) -> STSRecordVerdict {
        evaluate(rawRecords: records.map { Array($0.utf8) })
    }

    /// The same, on raw record bytes (TXT data need not be UTF-8; invalid bytes then show
    /// as `\xNN` in details instead of U+FFFD).
    public static func evaluate(rawRecords records: [[UInt8]]) -> STSRecordVerdict {
        var stsv1: [(position: Int, bytes: [UInt8])] = []
        var lookalikes: [Finding] = []
        for (position, bytes) in records.enumerated() {
            let all = bytes[...]
            let label = records.count > 1 ? "record \(position + 1): " : ""
            if startsWithVersion(all, version) {
                stsv1.append((position, bytes))
            } else if ASCII.hasPrefixIgnoringCase(all, "v=STS") {
                lookalikes.append(Finding(.txtNotSTSv1, label + "\"" + DetailText.sanitize(bytes: bytes) + "\""))
            } else if ASCII.contains(all, version) {
                lookalikes.append(Finding(.txtVersionNotFirst, label + "\"" + DetailText.sanitize(bytes: bytes) + "\""))
            }
        }

        if stsv1.count > 1 {
            let positions = DetailText.sanitize(stsv1.map { String($0.position + 1) }.joined(separator: ", "))
            return STSRecordVerdict(status: .invalid, id: nil,
                                    findings: [Finding(.txtMultipleRecords, "\(stsv1.count) STSv1 records (records \(positions))")])
        }
        if let only = stsv1.first {
            let label = records.count > 1 ? "record \(only.position + 1): " : ""
            let (id, findings) = parse(only.bytes, label: label)
            let usable = findings.isValid
            return STSRecordVerdict(status: usable ? .valid : .invalid, id: usable ? id : nil, findings: findings)
        }
        if !lookalikes.isEmpty {
            return STSRecordVerdict(status: .invalid, id: nil, findings: lookalikes)
        }
        let detail = records.isEmpty ? "" : "\(records.count) unrelated TXT record\(records.count == 1 ? "" : "s")"
        return STSRecordVerdict(status: .absent, id: nil, findings: [Finding(.txtAbsent, detail)])
    }

    /// `version` followed by the end, whitespace or ";" (so `v=STSv10` is not STSv1).
    static func startsWithVersion(_ bytes: ArraySlice<UInt8>, _ version: String) -> Bool {
        guard ASCII.hasPrefix(bytes, version) else { return false }
        let next = bytes.startIndex + version.utf8.count
        return next == bytes.endIndex || bytes[next] == ASCII.semicolon || ASCII.isWSP(bytes[next])
    }

    /// Checks one record that starts with `v=STSv1` against the §3.1 grammar.
    static func parse(_ bytes: [UInt8], label: String) -> (id: String?, findings: [Finding]) {
        let split = TagValueRecord(bytes, versionLength: version.utf8.count)
        var findings: [Finding] = []
        if split.spaceBeforeFirstDelimiter {
            // Quote the record up to its first ";": exactly what the prefix test trips on.
            let head = bytes.prefix { $0 != ASCII.semicolon } + [ASCII.semicolon]
            findings.append(Finding(.txtSpaceBeforeDelimiter, label + "\"" + DetailText.sanitize(bytes: head) + "\""))
        }
        for problem in split.problems {
            findings.append(Finding(.txtSyntax, label + TagValueRecord.describe(problem)))
        }
        var id: String?
        var sawID = false
        for field in split.fields {
            let text = "field \(field.index): \"" + DetailText.sanitize(bytes: field.text) + "\""
            if field.name.elementsEqual("id".utf8) && !sawID {
                sawID = true
                if field.value.isEmpty || !field.value.allSatisfy(ASCII.isAlnum) {
                    findings.append(Finding(.txtInvalidID, label + text))
                } else if field.value.count > 32 {
                    findings.append(Finding(.txtIDTooLong, label + "\(field.value.count) characters: " + text))
                } else {
                    id = String(decoding: field.value, as: UTF8.self)
                }
            } else if ASCII.isExtensionName(field.name) && ASCII.isRecordExtensionValue(field.value) {
                // Grammatically a later "id=" is an extension too; senders use the first.
                let note = field.name.elementsEqual("id".utf8) ? " (repeated id, ignored)" : ""
                findings.append(Finding(.txtExtension, label + text + note))
            } else {
                findings.append(Finding(.txtSyntax, label + "invalid extension " + text))
            }
        }
        if !sawID && !split.unreadable {
            let hint = split.fields.contains { ASCII.hasPrefixIgnoringCase($0.name, "id") && $0.name.count == 2 }
                ? "field names are case-sensitive: write \"id=\"" : ""
            findings.append(Finding(.txtMissingID, label + hint))
        }
        return (id, findings)
    }
}
