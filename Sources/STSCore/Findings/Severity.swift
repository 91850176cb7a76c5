/// How bad a finding is. Only `error` findings make a record or policy unusable and
/// become a domain's primary `error_code`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error
    case warning
    case info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// `error` < `warning` < `info`: sorting ascending puts the worst first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
