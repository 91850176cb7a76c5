/// The tool's own failures while reading a database (not measurement outcomes).
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case noDatabase(String)
    case notAScanDatabase(String)
    case noScans(String)
    case noSuchScan(Int64)
    case unknownSection(String)
    /// SQLite refused a statement: the message as SQLite gave it.
    case sql(String)
    /// A report could not be written to a path: the path and why, in plain words.
    case output(String, String)

    public var description: String {
        switch self {
        case .noDatabase(let path): "no database at \(path)"
        case .notAScanDatabase(let path): "\(path) is not an stsscan database (no scans table)"
        case .noScans(let path): "\(path) holds no scan"
        case .noSuchScan(let id): "no scan with id \(id)"
        case .unknownSection(let name):
            "unknown section \(name); sections: \(ReportSQL.sectionIDs.joined(separator: ", "))"
        case .sql(let message): "SQL error: \(message)"
        case .output(let path, let reason): "cannot write the report to '\(path)': \(reason)"
        }
    }
}
