import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world start DIR`.
struct WorldStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the world's NSD, dnsdist, nginx, Unbound and Postfix in the background and wait until they answer."
    )

    @Argument(help: "The world directory.")
    var directory: String

    @Option(help: "Override the DNS latency (ms) set at build time.")
    var latencyMs: Int?

    @Option(help: ArgumentHelp("Make dnsdist drop this share of all queries at random (0...1; fault tests).",
                               valueName: "fraction"))
    var dropShare: Double?

    @Option(help: ArgumentHelp("Start only this server (nsd, dnsdist, nginx or unbound), e.g. again after it died.",
                               valueName: "name"))
    var only: String?

    func validate() throws {
        if let latencyMs, latencyMs < 0 { throw ValidationError("--latency-ms must not be negative") }
        if let dropShare, !(0...1).contains(dropShare) { throw ValidationError("--drop-share must be within 0...1") }
    }

    func run() throws {
        let servers = WorldServers(directory: URL(fileURLWithPath: directory))
        let started = Date()
        try servers.start(latencyMs: latencyMs, dropShare: dropShare, only: only)
        print("world started in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        WorldStatusCommand.show(servers.status())
    }
}
