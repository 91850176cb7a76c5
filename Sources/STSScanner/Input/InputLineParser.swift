/// Turns one line of a domain list into an entry, or nothing for comments, blank lines and
/// a Tranco-style header. Pure: the streaming reader feeds it.
///
/// Accepted formats, mixed freely line by line:
/// - plain: `example.com` (optionally followed by whitespace and a `#` comment)
/// - Tranco CSV: `1,example.com` (extra columns ignored)
/// - `#` comment lines and blank lines
public enum InputLineParser {
    /// The longest line taken as is; longer lines become an invalid entry (never a crash).
    public static let maxLineBytes = 4096

    public enum Parsed: Equatable, Sendable {
        case skip
        case entry(rank: Int?, raw: String, problem: String?)
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) -> Parsed {
        if bytes.count > maxLineBytes {
            let head = String(decoding: bytes.prefix(40), as: UTF8.self)
            return .entry(rank: nil, raw: head + "...", problem: "line is longer than \(maxLineBytes) bytes")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // UTF-8 byte order mark
        if text.hasSuffix("\r") { text.removeLast() }
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return .skip }

        // A trailing comment after whitespace: "example.com  # note".
        var content = trimmed
        if let hash = content.firstIndex(of: "#"), hash != content.startIndex,
           content[content.index(before: hash)] == " " || content[content.index(before: hash)] == "\t" {
            content = String(content[..<hash]).trimmingASCIIWhitespace()
        }

        guard let comma = content.firstIndex(of: ",") else {
            return .entry(rank: nil, raw: content, problem: nil)
        }
        let first = content[..<comma].trimmingASCIIWhitespace()
        let rest = content[content.index(after: comma)...]
        let second = (rest.firstIndex(of: ",").map { rest[..<$0] } ?? rest).trimmingASCIIWhitespace()
        if first.lowercased() == "rank" && second.lowercased() == "domain" { return .skip }  // header
        guard let rank = Int(first), rank > 0 else {
            return .entry(rank: nil, raw: content, problem: "CSV line whose first field is not a positive rank")
        }
        return .entry(rank: rank, raw: second, problem: nil)
    }
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
