/// The columns one of the writer's INSERT statements fills, in order. The statement's SQL
/// and the writer's binds both come from `ordered`: the writer binds by switching over
/// each column (an exhaustive switch, so a new column cannot go unbound), and
/// `RowSchemaTests` checks the cases against the migrated table and the row types' fields.
/// A case's name is the field of the Swift row type it stores, its raw value the column.
protocol InsertColumns: CaseIterable, Hashable, Sendable, RawRepresentable where RawValue == String {
    /// The table the statement inserts into.
    static var table: String { get }
    /// `allCases`, kept once: the synthesized `allCases` builds a new array at every use.
    static var ordered: [Self] { get }
}

extension InsertColumns {
    /// `INSERT INTO table(c1, c2, ...) VALUES (?, ?, ...)`, then `suffix` (a conflict clause).
    static func insertSQL(_ suffix: String = "") -> String {
        let names = ordered.map(\.rawValue)
        let values = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table)(\(names.joined(separator: ", "))) VALUES (\(values))"
        return suffix.isEmpty ? sql : sql + " " + suffix
    }
}
