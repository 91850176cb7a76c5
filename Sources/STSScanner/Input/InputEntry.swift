/// One entry of an input list, before normalisation.
public struct InputEntry: Sendable, Equatable {
    /// 0-based index among the list's entries (comments and blank lines do not count).
    /// Stable across runs of the same list: `--resume` keys on it.
    public let position: Int
    /// 1-based line number in the file, for messages.
    public let line: Int
    /// The Tranco-style rank when the list is `rank,domain` CSV.
    public let rank: Int?
    /// The domain field exactly as given (trimmed).
    public let raw: String
    /// Why the entry itself is malformed (e.g. a CSV line without a numeric rank), if so.
    public let problem: String?

    public init(position: Int, line: Int, rank: Int?, raw: String, problem: String? = nil) {
        self.position = position
        self.line = line
        self.rank = rank
        self.raw = raw
        self.problem = problem
    }
}
