/// The tag-value layout shared by the MTA-STS record (RFC 8461 §3.1) and the TLS-RPT record
/// (RFC 8460 §3): `version 1*(field-delim field) [field-delim]` with
/// `field-delim = *WSP ";" *WSP` and `field = name "=" value`. This splits a record into
/// fields and reports layout problems; the protocol parsers judge names and values.
/// Spec: rfc8461-8460-rules.md §1 and §6.
struct TagValueRecord {
    struct Field {
        /// 1-based position among the fields after the version.
        let index: Int
        let name: ArraySlice<UInt8>
        let value: ArraySlice<UInt8>
        /// The whole field as written (for details).
        let text: ArraySlice<UInt8>
    }

    enum Problem {
        /// Something other than whitespace follows the version before the first ";".
        case noDelimiterAfterVersion(ArraySlice<UInt8>)
        /// Two delimiters with nothing between them.
        case emptyField(index: Int)
        /// A field without "=".
        case noEquals(ArraySlice<UInt8>)
        /// Whitespace before or after "=".
        case spaceAroundEquals(ArraySlice<UInt8>)
        /// Whitespace at the very end of the record, not followed by ";".
        case trailingWhitespace
    }

    var fields: [Field] = []
    var problems: [Problem] = []
    /// `v=STSv1 ;`: whitespace between the version and the first ";" (erratum 6285).
    var spaceBeforeFirstDelimiter = false
    /// The layout was too broken to read any field.
    var unreadable = false

    /// Splits `bytes`, whose first `versionLength` bytes are the version.
    init(_ bytes: [UInt8], versionLength: Int) {
        let rest = bytes[versionLength...]
        if rest.isEmpty { return }
        guard let firstDelimiter = rest.firstIndex(of: ASCII.semicolon) else {
            if rest.allSatisfy(ASCII.isWSP) {
                problems.append(.trailingWhitespace)
            } else {
                problems.append(.noDelimiterAfterVersion(rest))
                unreadable = true
            }
            return
        }
        let beforeDelimiter = rest[..<firstDelimiter]
        if !beforeDelimiter.allSatisfy(ASCII.isWSP) {
            problems.append(.noDelimiterAfterVersion(beforeDelimiter))
            unreadable = true
            return
        }
        spaceBeforeFirstDelimiter = !beforeDelimiter.isEmpty

        let segments = bytes[(firstDelimiter + 1)...].split(separator: ASCII.semicolon, omittingEmptySubsequences: false)
        for (offset, segment) in segments.enumerated() {
            // Numbered from 1 like lines and records: the version (`v=...`) is field 1.
            let index = offset + 2
            let isLast = offset == segments.count - 1
            var field = segment.drop(while: ASCII.isWSP)
            if field.isEmpty {
                // Only the optional trailing delimiter may be followed by nothing.
                if !isLast { problems.append(.emptyField(index: index)) }
                continue
            }
            let trimmed = Self.dropTrailingWSP(field)
            if trimmed.count != field.count && isLast { problems.append(.trailingWhitespace) }
            field = trimmed
            guard let equals = field.firstIndex(of: ASCII.equals) else {
                problems.append(.noEquals(field))
                continue
            }
            var name = field[..<equals]
            var value = field[(equals + 1)...]
            if name.last.map(ASCII.isWSP) == true || value.first.map(ASCII.isWSP) == true {
                problems.append(.spaceAroundEquals(field))
                name = Self.dropTrailingWSP(name)
                value = value.drop(while: ASCII.isWSP)
            }
            fields.append(Field(index: index, name: name, value: value, text: field))
        }
    }

    static func dropTrailingWSP(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = bytes.endIndex
        while end > bytes.startIndex && ASCII.isWSP(bytes[end - 1]) { end -= 1 }
        return bytes[bytes.startIndex..<end]
    }

    /// A short detail for a layout problem.
    static func describe(_ problem: Problem) -> String {
        switch problem {
        case .noDelimiterAfterVersion(let text):
            "expected \";\" after the version, found \"\(DetailText.sanitize(bytes: text))\""
        case .emptyField(let index):
            "empty field \(index) (\";;\")"
        case .noEquals(let text):
            "field without \"=\": \"\(DetailText.sanitize(bytes: text))\""
        case .spaceAroundEquals(let text):
            "whitespace around \"=\": \"\(DetailText.sanitize(bytes: text))\""
        case .trailingWhitespace:
            "whitespace at the end of the record"
        }
    }
}
