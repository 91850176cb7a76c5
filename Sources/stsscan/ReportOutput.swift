import ArgumentParser
import Foundation
import STSReport

/// Output and error handling shared by `report`, `sql` and `diff`.
enum ReportOutput {
    /// Writes `text` to `path` (a regular file, never one of the `databases` read:
    /// `OutputFile`), or to standard output when nil.
    static func write(_ text: String, to path: String?, protecting databases: [String] = []) throws {
        if let path {
            try OutputFile.write(text, to: path, protecting: databases)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Repeats the report's notice (an unfinished scan) on standard error, where it is seen
    /// even when the report goes to a file or is a plain CSV table.
    static func note(_ report: Report) {
        if let notice = report.notice { FileHandle.standardError.write(Data("stsscan: note: \(notice)\n".utf8)) }
    }

    /// Runs `body`; the tool's own failures (no database, SQL errors ...) are printed as one
    /// clear line on standard error and exit with status 1.
    static func failing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ReportError {
            FileHandle.standardError.write(Data("stsscan: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("stsscan: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Paths written into notebooks: relative, so an exported directory can move with its database.
enum RelativePath {
    /// `target` relative to `directory` (both resolved against the current directory).
    static func from(directory: String, to target: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        let goal = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < goal.count, base[common] == goal[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        let path = (ups + goal[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
