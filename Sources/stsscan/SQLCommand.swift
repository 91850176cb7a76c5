import ArgumentParser
import Foundation
import STSReport

/// `stsscan sql`: one SQL statement against a scan database opened read-only.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run a read-only SQL query on a scan database.",
        discussion: "The database is opened read-only; see docs/database.md for the schema, the results view and example queries.")

    @Option(help: "The scan database.")
    var db: String

    @Flag(help: "Print CSV (RFC 4180, formula-safe) instead of a table.")
    var csv = false

    @Flag(help: "Print a JSON array of row objects instead of a table.")
    var json = false

    @Argument(help: "The SQL statement, e.g. \"SELECT mode, count(*) FROM results GROUP BY mode\"; - reads it from standard input.")
    var query: String

    func validate() throws {
        if csv && json { throw ValidationError("--csv and --json exclude each other") }
    }

    func run() throws {
        try ReportOutput.failing {
            let database = try ReportDatabase(path: db)
            let query = try self.query == "-" ? Self.readStandardInput() : self.query
            let output = BufferedOutput()
            let renderer = RowStreamRenderer(style: csv ? .csv : json ? .json : .table, emit: output.write)
            // Rows stream from SQLite to standard output: memory stays flat whatever the answer's size.
            try UserQuery.stream(database, query, columns: renderer.begin, row: renderer.row)
            try renderer.finish()
            try output.flush()
        }
    }

    /// The whole of standard input as UTF-8 text (`sql -`).
    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError.sql("standard input is not UTF-8 text; give the query as UTF-8")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReportError.sql("standard input held no query; pipe one in, e.g. echo 'SELECT 1' | stsscan sql --db FILE -")
        }
        return text
    }
}
