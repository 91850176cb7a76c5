/// Turns one line of a domain list into an entry, or nothing for comments, blank lines and
/// a Tranco-style header. Pure: the streaming reader feeds it.
///
/// Accepted formats, mixed freely line by line:
/// - plain: `example.com` (optionally followed by whitespace and a `#` comment)
/// - Tranco CSV: `1,example.com` (extra columns ignored)
/// - `#` comment lines and blank lines
/// - a header: `rank,domain` anywhere; `domain` alone only as the first entry of the list
///   (a plain list's column name; `firstEntry`), since later it could be a name in the list
public enum InputLineParser {
    /// The longest line taken as is; longer lines become an invalid entry (never a crash).
    public static let maxLineBytes = 4096

    public enum Parsed: Equatable, Sendable {
        case skip
        case entry(rank: Int?, raw: String, problem: String?)
    }

    /// `firstEntry`: no entry came before this line (a plain `domain` header is skipped).
    public static func parse(_ line: ArraySlice<UInt8>, firstEntry: Bool = false) -> Parsed {
        // Works on bytes: every delimiter is ASCII, so it never splits a UTF-8 sequence, and
        // only the fields kept become Strings (a scan parses millions of lines).
        var bytes = line
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // UTF-8 byte order mark
        // Comments and blank lines are skipped whatever their length (datasets/README.md).
        bytes = bytes.drop(while: isSpace)
        if bytes.isEmpty || bytes.first == UInt8(ascii: "#") { return .skip }
        // (A line the reader cut is longer than this even if its kept part ends in blanks.)
        if bytes.count > maxLineBytes {
            let head = String(decoding: bytes.prefix(40), as: UTF8.self)
            return .entry(rank: nil, raw: head + "...", problem: "line is longer than \(maxLineBytes) bytes")
        }
        bytes = trimmed(bytes)

        // A trailing comment after whitespace: "example.com  # note".
        if let hash = bytes.firstIndex(of: UInt8(ascii: "#")), hash != bytes.startIndex,
           bytes[hash - 1] == UInt8(ascii: " ") || bytes[hash - 1] == UInt8(ascii: "\t") {
            bytes = trimmed(bytes[..<hash])
        }

        guard let comma = bytes.firstIndex(of: UInt8(ascii: ",")) else {
            if firstEntry && equalsIgnoringASCIICase(bytes, "domain") { return .skip }  // a plain list's header
            return .entry(rank: nil, raw: text(bytes), problem: nil)
        }
        let first = trimmed(bytes[..<comma])
        let rest = bytes[(comma + 1)...]
        let second = trimmed(rest.firstIndex(of: UInt8(ascii: ",")).map { rest[..<$0] } ?? rest)
        if equalsIgnoringASCIICase(first, "rank") && equalsIgnoringASCIICase(second, "domain") { return .skip }  // header
        guard let rank = Int(text(first)), rank > 0 else {
            return .entry(rank: nil, raw: text(bytes), problem: "CSV line whose first field is not a positive rank")
        }
        return .entry(rank: rank, raw: text(second), problem: nil)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    /// Drops spaces, tabs, CR and LF at both ends.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return bytes[bytes.endIndex...] }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return bytes[start...end]
    }

    private static func equalsIgnoringASCIICase(_ bytes: ArraySlice<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { $0 | 0x20 == $1 | 0x20 }
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}

extension StringProtocol {
    /// Trims spaces, tabs, CR and LF only (domain lists are ASCII-structured).
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
