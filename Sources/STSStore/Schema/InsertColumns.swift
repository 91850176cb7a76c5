/// The columns one of the writer's INSERT statements fills, in order. The statement's SQL
/// and the writer's binds both come from `key` and `ordered`: the writer binds the key, then
/// switches over each column (an exhaustive switch, so a new column cannot go unbound), and
/// `RowSchemaTests` checks them against the migrated table and the row types' fields.
/// A case's name is the field of the Swift row type it stores, its raw value the column.
protocol InsertColumns: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The table the statement inserts into.
    static var table: String { get }
    /// `allCases`, kept once: the synthesized `allCases` builds a new array at every use.
    static var ordered: [Self] { get }
    /// Columns before the cases, bound by the writer from where the row belongs rather than
    /// from a field: `scan_id`, and for a child of `domain_results` its `position` and, in a
    /// list, the item's index `seq`.
    static var key: [String] { get }
}

extension InsertColumns {
    static var key: [String] { [] }

    /// `INSERT INTO table(k1, ..., c1, c2, ...) VALUES (?, ?, ...)`, then `suffix` (a conflict clause).
    static func insertSQL(_ suffix: String = "") -> String {
        let names = key + ordered.map(\.rawValue)
        let values = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table)(\(names.joined(separator: ", "))) VALUES (\(values))"
        return suffix.isEmpty ? sql : sql + " " + suffix
    }
}

/// A list child of `domain_results` (`findings`, `mx_hosts`, ...): one row per item of a
/// `DomainRecord` array, keyed by the record and the item's index.
protocol ListColumns: InsertColumns {}

extension ListColumns {
    static var key: [String] { ["scan_id", "position", "seq"] }
}
