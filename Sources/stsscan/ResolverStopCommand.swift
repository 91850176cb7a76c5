import ArgumentParser
import Foundation
import STSWorld

/// `stsscan resolver stop DIR`.
struct ResolverStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the Unbound `resolver start DIR` started (by its recorded pid)."
    )

    @Argument(help: "The directory given to `resolver start`.")
    var directory: String

    func run() throws {
        let stopped = try LocalResolver(directory: URL(fileURLWithPath: directory)).stop()
        print(stopped ? "resolver stopped" : "no resolver was running from \(directory)")
    }
}
