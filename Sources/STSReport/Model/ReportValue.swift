/// One cell of a report table, as SQLite returned it. Numbers stay numbers all the way to
/// JSON; text is escaped by each renderer for its format.
public enum ReportValue: Sendable, Hashable, Codable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// True for `integer` and `real` (right-aligned, charted, never formula-escaped).
    public var isNumber: Bool {
        switch self {
        case .integer, .real: true
        case .null, .text: false
        }
    }

    /// The value as a Double, for charts; nil for text and NULL.
    public var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .null, .text: nil
        }
    }

    /// The plain (unescaped) text of the value; NULL is empty. Reals print exactly: the
    /// shortest text that reads back as the same double (`0.000123`, `0.3333333333333333`),
    /// without a trailing `.0`, so CSV, JSON, tables and charts never lose precision (the
    /// report's SQL rounds its percentages itself).
    public var plain: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): Self.exact(value)
        case .text(let value): value
        }
    }

    /// Shortest round-trip text of `value`; integral values below 2^53 without `.0`.
    static func exact(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), value.magnitude < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// At most two decimals, no trailing zeros: for chart labels and ticks only.
    static func format(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 9e15 else { return String(value) }
        let cents = Int64((value * 100).rounded())
        let sign = cents < 0 ? "-" : ""
        let whole = cents.magnitude / 100, fraction = cents.magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
