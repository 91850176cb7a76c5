import ArgumentParser
import Foundation
import STSReport
import STSScanner

/// `--jsonl FILE|-`, shared by `scan` and `world scan`.
struct JSONLOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Also stream one JSON object per domain, as it is stored, to FILE (created or truncated; - for standard output). "
            + "With --resume, the file is rewritten from the stored rows first. Lines are those of `stsscan export --format jsonl`.",
        valueName: "file"))
    var jsonl: String?

    /// The observer writing `--jsonl`, with its output opened now (before the scan starts,
    /// so a path that cannot be written stops it early); nil without the option.
    /// Never the list, nor any database's files (`OutputFile`): truncating either would lose it.
    func observer(databasePath: String, listPath: String) throws -> JSONLObserver? {
        guard let jsonl else { return nil }
        if jsonl != "-", listPath != "-", Self.sameFile(jsonl, listPath) {
            throw CLIError("--jsonl '\(jsonl)': it is the domain list being scanned; give another file")
        }
        do {
            let sink = try ExportSink(path: jsonl, protecting: [databasePath], streaming: true)
            return JSONLObserver(stream: JSONLinesStream(sink: sink, databasePath: databasePath))
        } catch let error as ReportError {
            throw CLIError("--jsonl: \(error.description)")
        }
    }
}

extension JSONLOptions {
    /// Both paths name one existing file (links followed).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}

/// Connects a scan's committed batches to a `JSONLinesStream`.
struct JSONLObserver: CommittedRowsObserver {
    let stream: JSONLinesStream

    func scanStarted(scanID: Int64) throws { try named { try stream.start(scanID: scanID) } }
    func committed(positions: [Int]) throws { try named { try stream.committed(positions: positions) } }
    func scanCompleted() throws { try named { try stream.finish() } }

    /// A failure names the option it comes from (a full disk, a closed pipe).
    private func named(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ReportError {
            throw CLIError("--jsonl: \(error.description); what is stored stays: continue with --resume "
                           + "(the file is rewritten), or write it with `stsscan export`")
        }
    }
}
