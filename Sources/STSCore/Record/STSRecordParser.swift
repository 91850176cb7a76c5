/// Parses and selects among the TXT records at `_mta-sts.<domain>`.
/// Spec: rfc8461-8460-rules.md §1 (RFC 8461 §3.1, erratum 6285).
public enum STSRecordParser {
    static let version = "v=STSv1"

    /// Evaluates all TXT records at the name, each already joined from its strings.
    ///
    /// An STSv1 record begins with `v=STSv1`, optional whitespace, then `;` (§1). Every other
    /// record is discarded before counting, so look-alikes (`v=STSv1` alone, `v=STSv1 is not
    /// a policy`, `V=STSv1; id=x`, `v=STSv2; ...`) next to one good record leave it usable.
    ///
    /// - Exactly one STSv1 record: `valid` when it follows the grammar, else `invalid` with
    ///   its findings. Look-alikes beside it are discarded silently, as senders do (the
    ///   catalog has no non-error code for them).
    /// - Two or more: `invalid` with `txt-multiple-records`.
    /// - None, but records that look like MTA-STS: `invalid`, each explained in record order
    ///   (`v=STSv1` without its `;` by its grammar findings, others as `txt-not-stsv1` or
    ///   `txt-version-not-first`).
    /// - Nothing that looks like MTA-STS: `absent` with `txt-absent`. Unrelated records are ignored.
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
            switch versionPrefix(all, version) {
            case .delimited:
                stsv1.append((position, bytes))
            case .undelimited:
                // `v=STSv1` without its ";": not counted; if nothing usable is left, its
                // grammar findings say what is wrong with it.
                lookalikes += parse(bytes, label: label).findings
            case .absent:
                if ASCII.hasPrefixIgnoringCase(all, "v=STS") {
                    lookalikes.append(Finding(.txtNotSTSv1, label + "\"" + DetailText.sanitize(bytes: bytes) + "\""))
                } else if ASCII.contains(all, version) {
                    lookalikes.append(Finding(.txtVersionNotFirst, label + "\"" + DetailText.sanitize(bytes: bytes) + "\""))
                }
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

    /// How a record begins relative to a version string such as `v=STSv1`.
    enum VersionPrefix {
        /// `version *WSP ";"`: a record of that version, counted (§1, §6).
        case delimited
        /// `version` then the end or whitespace without a ";" (`v=STSv1`, `v=STSv1 is not a
        /// policy`): a look-alike, discarded before counting.
        case undelimited
        /// Does not begin with `version` followed by the end, whitespace or ";" (so
        /// `v=STSv10` is not STSv1).
        case absent
    }

    /// Classifies the start of `bytes` against `version` (case-sensitive, RFC 7405 `%s`).
    static func versionPrefix(_ bytes: ArraySlice<UInt8>, _ version: String) -> VersionPrefix {
        guard ASCII.hasPrefix(bytes, version) else { return .absent }
        let rest = bytes.dropFirst(version.utf8.count)
        if rest.isEmpty { return .undelimited }
        let afterSpaces = rest.drop(while: ASCII.isWSP)
        if afterSpaces.first == ASCII.semicolon { return .delimited }
        return afterSpaces.count < rest.count ? .undelimited : .absent
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
