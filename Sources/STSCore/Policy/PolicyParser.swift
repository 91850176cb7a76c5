/// Parses an MTA-STS policy body, bytes exactly as served.
/// Spec: rfc8461-8460-rules.md §3 (RFC 8461 §3.2, errata 6253 and 7282).
public enum PolicyParser {
    /// The largest valid `max_age` (one year of 365.25 days).
    public static let maxAgeLimit = 31_557_600
    /// Under this `max_age`, `policy-max-age-low` warns (one day).
    public static let maxAgeLowThreshold = 86_400
    /// The largest policy body, in bytes (rfc8461-8460-rules.md §2 [choice]: 64 KiB): the
    /// one constant behind the fetch cap (`http-body-too-large`), the stored body's cap and
    /// `lint policy`'s size check.
    public static let maxBodyBytes = 64 * 1024

    /// Evaluates a policy body. In order: empty (or only whitespace) -> `policy-empty`;
    /// first non-whitespace byte `<` -> `policy-html`; invalid UTF-8 or a control byte other
    /// than CR, LF and TAB -> `policy-invalid-utf8` (each of these stops the evaluation);
    /// then line by line (LF or CRLF terminated) against the grammar. Linear in the size.
    public static func evaluate(_ body: [UInt8]) -> PolicyVerdict {
        if body.allSatisfy({ ASCII.isWSP($0) || $0 == ASCII.cr || $0 == ASCII.lf }) {
            return rejected(Finding(.policyEmpty, body.isEmpty ? "" : "only whitespace (\(body.count) bytes)"))
        }
        if let first = body.firstIndex(where: { !(ASCII.isWSP($0) || $0 == ASCII.cr || $0 == ASCII.lf) }),
           body[first] == 0x3C {
            return rejected(Finding(.policyHTML, "starts with \"" + DetailText.sanitize(bytes: body[first...], limit: 40) + "\""))
        }
        if let problem = textProblem(body) {
            return rejected(Finding(.policyInvalidUTF8, problem))
        }
        var state = State()
        var start = body.startIndex
        var lineNumber = 1
        // A UTF-8 byte order mark is not part of the grammar: report it, read on without it.
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            state.collector.add(.policySyntax, "line 1: starts with a UTF-8 byte order mark")
            start = 3
        }
        while start < body.endIndex {
            if let lf = body[start...].firstIndex(of: ASCII.lf) {
                var line = body[start..<lf]
                if line.last == ASCII.cr { line = line.dropLast() }   // CRLF
                state.line(line, number: lineNumber)
                start = lf + 1
                if start == body.endIndex { break }   // the optional final terminator
            } else {
                state.line(body[start...], number: lineNumber)
                break
            }
            lineNumber += 1
        }
        return state.verdict()
    }

    private static func rejected(_ finding: Finding) -> PolicyVerdict {
        PolicyVerdict(isValid: false, version: nil, mode: nil, maxAge: nil, mx: [], findings: [finding])
    }

    /// Where the body stops being text: invalid UTF-8 (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF), or a control character other than CR/LF/TAB
    /// (C0, DEL, C1).
    static func textProblem(_ body: [UInt8]) -> String? {
        var line = 1
        var i = 0
        let n = body.count
        while i < n {
            let byte = body[i]
            if byte < 0x80 {
                if byte == ASCII.lf {
                    line += 1
                } else if (byte < 0x20 && byte != ASCII.tab && byte != ASCII.cr) || byte == 0x7F {
                    return "line \(line), byte \(i): control byte " + DetailText.hexByte(byte)
                }
                i += 1
                continue
            }
            // Sequence length and the allowed range of the second byte.
            let (length, low, high): (Int, UInt8, UInt8) = switch byte {
            case 0xC2...0xDF: (2, 0x80, 0xBF)
            case 0xE0: (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
            case 0xED: (3, 0x80, 0x9F)
            case 0xF0: (4, 0x90, 0xBF)
            case 0xF1...0xF3: (4, 0x80, 0xBF)
            case 0xF4: (4, 0x80, 0x8F)
            default: (0, 0, 0)
            }
            guard length > 0, i + length <= n, (low...high).contains(body[i + 1]),
                  body[(i + 2)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else {
                return "line \(line), byte \(i): invalid UTF-8 " + DetailText.hexByte(byte)
            }
            if byte == 0xC2 && body[i + 1] < 0xA0 {
                return "line \(line), byte \(i): C1 control character \\u{\(String(body[i + 1], radix: 16))}"
            }
            i += length
        }
        return nil
    }

    /// The fields seen so far.
    private struct State {
        var collector = FindingCollector()
        var version: String?
        var mode: PolicyMode?
        var maxAge: Int?
        var mx: [String] = []
        var seen: Set<String> = []
        var mxLines = 0

        mutating func line(_ line: ArraySlice<UInt8>, number: Int) {
            // Details are built only when a finding is made: most lines produce none.
            func quoted() -> String { "line \(number): \"" + DetailText.sanitize(bytes: line) + "\"" }
            if line.allSatisfy(ASCII.isWSP) {
                collector.add(.policyBlankLine, "line \(number)")
                return
            }
            if line.contains(ASCII.cr) {
                collector.add(.policySyntax, quoted() + ": carriage return not followed by a line feed")
                return
            }
            if let first = line.first, ASCII.isWSP(first) {
                collector.add(.policySyntax, quoted() + ": leading whitespace")
                return
            }
            guard let colon = line.firstIndex(of: ASCII.colon) else {
                collector.add(.policySyntax, quoted() + ": no \"key: value\" colon")
                return
            }
            let key = line[..<colon]
            if key.isEmpty {
                collector.add(.policySyntax, quoted() + ": empty key")
                return
            }
            if let last = key.last, ASCII.isWSP(last) {
                collector.add(.policySyntax, quoted() + ": whitespace before the colon")
                return
            }
            // sts-policy-field-delim = ":" *WSP, and every field may be followed by *WSP.
            let value = TagValueRecord.dropTrailingWSP(line[(colon + 1)...].drop(while: ASCII.isWSP))
            let keyText = String(decoding: key, as: UTF8.self)
            let isKnown = ["version", "mode", "max_age"].contains(keyText)
            if isKnown {
                if seen.contains(keyText) {
                    collector.add(.policyDuplicateField, "line \(number): \(keyText) (the first one is used)")
                    return
                }
                seen.insert(keyText)
            }
            func valueText() -> String { "line \(number): \"" + DetailText.sanitize(bytes: value) + "\"" }
            switch keyText {
            case "version":
                if value.elementsEqual("STSv1".utf8) {
                    version = "STSv1"
                } else {
                    collector.add(.policyBadVersion, valueText())
                }
            case "mode":
                if let parsed = PolicyMode(rawValue: String(decoding: value, as: UTF8.self)) {
                    mode = parsed
                } else {
                    collector.add(.policyBadMode, valueText())
                }
            case "max_age":
                maxAgeField(value, detail: valueText)
            case "mx":
                mxLines += 1
                if !value.isEmpty { mx.append(String(decoding: value, as: UTF8.self)) }
                if let problem = MXPatternSyntax.problem(value) {
                    collector.add(.policyBadMX, valueText() + ": " + problem)
                }
            default:
                if ASCII.isExtensionName(key) && isExtensionValue(value) {
                    collector.add(.policyUnknownField, "line \(number): " + DetailText.sanitize(keyText))
                } else {
                    collector.add(.policySyntax, quoted() + ": not a valid extension field")
                }
            }
        }

        /// max_age = 1*10(DIGIT), at most 31557600 (erratum 7282).
        mutating func maxAgeField(_ value: ArraySlice<UInt8>, detail: () -> String) {
            guard (1...10).contains(value.count), value.allSatisfy(ASCII.isDigit) else {
                collector.add(.policyMaxAgeSyntax, detail())
                return
            }
            let seconds = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if seconds > PolicyParser.maxAgeLimit {
                collector.add(.policyMaxAge, detail() + " > \(PolicyParser.maxAgeLimit)")
                return
            }
            maxAge = seconds
            if seconds < PolicyParser.maxAgeLowThreshold {
                collector.add(.policyMaxAgeLow, detail() + " < \(PolicyParser.maxAgeLowThreshold)")
            }
        }

        /// sts-policy-ext-value: visible characters (UTF-8 allowed) and inner spaces, no CTLs.
        func isExtensionValue(_ value: ArraySlice<UInt8>) -> Bool {
            !value.isEmpty && value.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
        }

        func verdict() -> PolicyVerdict {
            var collector = self.collector
            if !seen.contains("version") { collector.add(.policyMissingVersion, "") }
            if !seen.contains("mode") { collector.add(.policyMissingMode, "") }
            if !seen.contains("max_age") { collector.add(.policyMissingMaxAge, "") }
            if mxLines == 0 && mode != PolicyMode.none {
                collector.add(.policyMissingMX, mode.map { "mode is \($0.rawValue)" } ?? "")
            }
            let findings = collector.finish()
            return PolicyVerdict(isValid: findings.isValid, version: version, mode: mode, maxAge: maxAge,
                                 mx: mx, findings: findings)
        }
    }
}
