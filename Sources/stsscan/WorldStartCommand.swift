import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world start DIR`.
struct WorldStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the world's NSD, dnsdist, nginx and Postfix in the background and wait until they answer."
    )

    @Argument(help: "The world directory.")
    var directory: String

    @Option(help: "Override the DNS latency (ms) set at build time.")
    var latencyMs: Int?

    func run() throws {
        let servers = WorldServers(directory: URL(fileURLWithPath: directory))
        let started = Date()
        try servers.start(latencyMs: latencyMs)
        print("world started in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        WorldStatusCommand.show(servers.status())
    }
}
