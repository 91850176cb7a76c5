import ArgumentParser
import Foundation
import STSStore

/// `stsscan merge OUT SHARD...`: one scan from the databases of `scan --shard K/N`.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the databases of a sharded scan (scan --shard K/N) into one scan.",
        discussion: """
        The inputs must be all N shards of one list (same SHA-256), each once and finished, \
        scanned with the same stsscan, resolvers and options. The merged scan holds every row \
        of every shard, as one unsharded scan would; scan_parts names its shards. OUT is created, \
        or gets the merged scan added after the scans it holds (diff and reports then compare \
        surveys). Anything else is refused with the file and the reason, and nothing is written.
        """)

    @Argument(help: ArgumentHelp("Database to write the merged scan to (created when missing).", valueName: "out"))
    var out: String

    @Argument(help: ArgumentHelp("The shard databases, one per --shard K/N, in any order.", valueName: "shard"))
    var shards: [String]

    func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("give the shard databases after OUT") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let outcome: ShardMerger.Outcome
        do {
            outcome = try ShardMerger.merge(into: out, shards: shards)
        } catch let error as CustomStringConvertible where error is MergeError || error is StoreError {
            throw CLIError(error.description)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let lines = [
            "merged \(outcome.shards) shards into scan \(outcome.scanID) of '\(out)'"
                + (outcome.createdFile ? " (new file)" : ""),
            "  rows           \(outcome.rows)",
            String(format: "  time           %.1f s", seconds),
        ]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
