/// One observed outcome: a stable code plus a free-text detail (the offending line, the
/// HTTP status, the certificate error ...). Measurement outcomes are findings, never Swift
/// errors.
public struct Finding: Sendable, Hashable, Codable {
    public let code: FindingCode
    /// What exactly was seen; may be empty. Text from the wire is kept as is here and
    /// escaped by whoever prints it.
    public let detail: String

    public init(_ code: FindingCode, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var severity: Severity { code.severity }
    public var stage: Stage { code.stage }
    public var resultType: ResultType { code.resultType }

    /// The human message: the code's summary, then the detail when there is one.
    public var message: String { detail.isEmpty ? code.summary : "\(code.summary) (\(detail))" }
}

extension Sequence where Element == Finding {
    /// The primary finding: the first `error` in data-path order (stage, then the order
    /// in which findings were made). `nil` when nothing is an error.
    public var primaryError: Finding? {
        var best: Finding?
        for finding in self where finding.severity == .error {
            if best == nil || finding.stage < best!.stage { best = finding }
        }
        return best
    }

    /// True when no finding is an `error`.
    public var isValid: Bool { !contains { $0.severity == .error } }
}
