/// Why an input entry is not a usable domain name. This is a user-input error (the list
/// entry or a lint argument), not a measurement outcome; the scanner records it as the
/// finding `input-invalid-name` with `description` as detail.
public struct DomainNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The specific rule the name breaks.
    public enum Reason: Sendable, Equatable {
        case empty
        case notConvertible
        case emptyLabel
        case labelTooLong
        case tooLong(Int)
        case badCharacter(String)
        case hyphenAtLabelEdge
        case singleLabel
        case numericTopLevel
    }

    public let reason: Reason
    /// The offending input, escaped and truncated for printing.
    public let input: String

    public init(_ reason: Reason, input: String) {
        self.reason = reason
        self.input = DetailText.sanitize(input)
    }

    public var description: String { "\"\(input)\": \(reason.explanation)" }
}

extension DomainNameError.Reason {
    /// The rule in words, without the name.
    public var explanation: String {
        switch self {
        case .empty: "the name is empty"
        case .notConvertible: "the internationalized name cannot be converted to A-labels (IDNA2008)"
        case .emptyLabel: "the name has an empty label (two dots in a row, or a leading or trailing dot)"
        case .labelTooLong: "a label is longer than 63 characters"
        case .tooLong(let n): "the name is \(n) characters long; at most 253 are allowed"
        case .badCharacter(let c): "the character \"\(c)\" is not allowed (letters, digits, hyphens and dots only)"
        case .hyphenAtLabelEdge: "a label starts or ends with a hyphen"
        case .singleLabel: "the name has only one label; a domain needs at least two"
        case .numericTopLevel: "the top-level label is all digits (an IP address is not a domain)"
        }
    }
}
