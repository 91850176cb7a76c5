/// Why `stsscan merge` refused: which file (when one is to blame), what is wrong with it,
/// and what to do. Nothing is written when a merge is refused.
public struct MergeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file to blame, as given; nil when the problem is the set of files (a missing shard).
    public let file: String?
    public let reason: String
    public let advice: String

    public init(file: String?, reason: String, advice: String) {
        self.file = file
        self.reason = reason
        self.advice = advice
    }

    public var description: String {
        "merge refused: " + (file.map { "'\($0)': " } ?? "") + reason + "; " + advice
    }
}
