/// Parses an MTA-STS policy body, bytes exactly as served.
/// Spec: rfc8461-8460-rules.md §3 (RFC 8461 §3.2, errata 6253 and 7282).
public enum PolicyParser {
    /// The largest valid `max_age` (one year of 365.25 days).
    public static let maxAgeLimit = 31_557_600
    /// Under this `max_age`, `policy-max-age-low` warns (one day).
    public static let maxAgeLowThreshold = 86_400

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

    /// Where the body stops being text: invalid UTF-8, or a control byte other than CR/LF/TAB.
    static func textProblem(_ body: [UInt8]) -> String? {
        var line = 1
        var offset = 0
        var iterator = body.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, let byte = encoded.first {
                    if byte == ASCII.lf {
                        line += 1
                    } else if (byte < 0x20 && byte != ASCII.tab && byte != ASCII.cr) || byte == 0x7F {
                        return "line \(line), byte \(offset): control byte " + DetailText.hexByte(byte)
                    }
                } else if encoded.count == 2, encoded.first == 0xC2, let second = encoded.last, second < 0xA0 {
                    // U+0080..U+009F: C1 control characters.
                    return "line \(line), byte \(offset): C1 control character \\u{\(String(second, radix: 16))}"
                }
                offset += encoded.count
            case .error(let length):
                return "line \(line), byte \(offset): invalid UTF-8 " + DetailText.hexByte(body[offset])
                    + (length > 1 ? " (\(length)-byte sequence)" : "")
            case .emptyInput:
                return nil
            }
        }
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
            let quoted = "line \(number): \"" + DetailText.sanitize(bytes: line) + "\""
            if line.allSatisfy(ASCII.isWSP) {
                collector.add(.policyBlankLine, "line \(number)")
                return
            }
            if line.contains(ASCII.cr) {
                collector.add(.policySyntax, quoted + ": carriage return not followed by a line feed")
                return
            }
            if let first = line.first, ASCII.isWSP(first) {
                collector.add(.policySyntax, quoted + ": leading whitespace")
                return
            }
            guard let colon = line.firstIndex(of: ASCII.colon) else {
                collector.add(.policySyntax, quoted + ": no \"key: value\" colon")
                return
            }
            let key = line[..<colon]
            if key.isEmpty {
                collector.add(.policySyntax, quoted + ": empty key")
                return
            }
            if let last = key.last, ASCII.isWSP(last) {
                collector.add(.policySyntax, quoted + ": whitespace before the colon")
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
            let valueText = "line \(number): \"" + DetailText.sanitize(bytes: value) + "\""
            switch keyText {
            case "version":
                if value.elementsEqual("STSv1".utf8) {
                    version = "STSv1"
                } else {
                    collector.add(.policyBadVersion, valueText)
                }
            case "mode":
                if let parsed = PolicyMode(rawValue: String(decoding: value, as: UTF8.self)) {
                    mode = parsed
                } else {
                    collector.add(.policyBadMode, valueText)
                }
            case "max_age":
                maxAgeField(value, detail: valueText)
            case "mx":
                mxLines += 1
                if !value.isEmpty { mx.append(String(decoding: value, as: UTF8.self)) }
                if let problem = MXPatternSyntax.problem(value) {
                    collector.add(.policyBadMX, valueText + ": " + problem)
                }
            default:
                if ASCII.isExtensionName(key) && isExtensionValue(value) {
                    collector.add(.policyUnknownField, "line \(number): " + DetailText.sanitize(keyText))
                } else {
                    collector.add(.policySyntax, quoted + ": not a valid extension field")
                }
            }
        }

        /// max_age = 1*10(DIGIT), at most 31557600 (erratum 7282).
        mutating func maxAgeField(_ value: ArraySlice<UInt8>, detail: String) {
            guard (1...10).contains(value.count), value.allSatisfy(ASCII.isDigit) else {
                collector.add(.policyMaxAgeSyntax, detail)
                return
            }
            let seconds = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if seconds > PolicyParser.maxAgeLimit {
                collector.add(.policyMaxAge, detail + " > \(PolicyParser.maxAgeLimit)")
                return
            }
            maxAge = seconds
            if seconds < PolicyParser.maxAgeLowThreshold {
                collector.add(.policyMaxAgeLow, detail + " < \(PolicyParser.maxAgeLowThreshold)")
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
