import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world stop DIR`.
struct WorldStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the servers `world start` started (by their recorded pids)."
    )

    @Argument(help: "The world directory.")
    var directory: String

    func run() throws {
        try WorldServers(directory: URL(fileURLWithPath: directory)).stop()
        print("world stopped")
    }
}
