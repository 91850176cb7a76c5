/// The tool's own failures while reading a database (not measurement outcomes).
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case noDatabase(String)
    case notAScanDatabase(String)
    case noScans(String)
    case noSuchScan(Int64)
    case unknownSection(String)
    /// A section name not among `choices` (those of the report asked for: report, series or diff).
    case unknownSectionIn(String, choices: [String])
    /// SQLite refused a statement: the message as SQLite gave it.
    case sql(String)
    /// The file exists but cannot be read as a database: the path and why, in plain words.
    case unreadable(String, String)
    /// `diff` was given (or found) only one scan to compare.
    case oneScan(String, Int64)
    /// `diff --from` names a newer scan than `--to`.
    case fromAfterTo(Int64, Int64)
    /// Output (a report, an export, the JSON lines) could not be written to a path: the path and why, in plain words.
    case output(String, String)

    public var description: String {
        switch self {
        case .noDatabase(let path): "no database at \(path)"
        case .notAScanDatabase(let path): "\(path) is not an stsscan database (no scans table)"
        case .noScans(let path): "\(path) holds no scan"
        case .noSuchScan(let id): "no scan with id \(id)"
        case .unknownSection(let name):
            "unknown section \(name); sections: \(ReportSQL.sectionIDs.joined(separator: ", "))"
        case .unknownSectionIn(let name, let choices):
            "unknown section \(name)" + (Closest.match(name, in: choices).map { "; did you mean \($0)?" } ?? "")
                + " Sections: \(choices.joined(separator: ", "))"
        case .sql(let message): "SQL error: \(message)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .oneScan(let path, let id):
            "\(path) holds only scan \(id), and diff compares two scans: scan again into the same --db, "
                + "or give --other-db with a second database"
        case .fromAfterTo(let from, let to):
            "--from \(from) is newer than --to \(to): diff shows changes from an older scan to a newer one; "
                + "swap them (--from \(to) --to \(from))"
        case .output(let path, let reason): "cannot write to '\(path)': \(reason)"
        }
    }
}

/// The closest word to a mistyped one (`modez` -> `modes`), for "did you mean".
enum Closest {
    /// The choice within a third of the word's length in edits (at least 2), or one that
    /// begins with the word; nil when none is close.
    static func match(_ word: String, in choices: [String]) -> String? {
        let lower = word.lowercased()
        if let prefixed = choices.first(where: { $0.hasPrefix(lower) && !lower.isEmpty }) { return prefixed }
        let scored = choices.map { ($0, distance(Array(lower), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, lower.count / 3) else { return nil }
        return best.0
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
