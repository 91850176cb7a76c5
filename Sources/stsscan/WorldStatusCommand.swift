import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world status DIR`: exit status 0 when every server runs and answers.
struct WorldStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each server of the world with its pid and whether it answers."
    )

    @Argument(help: "The world directory.")
    var directory: String

    func run() throws {
        let statuses = WorldServers(directory: URL(fileURLWithPath: directory)).status()
        Self.show(statuses)
        if statuses.isEmpty || !statuses.allSatisfy(\.answering) { throw ExitCode(1) }
    }

    static func show(_ statuses: [ServerStatus]) {
        for server in statuses {
            let pid = server.pid.map { "pid \($0)" } ?? "not running"
            let state = server.answering ? "answering" : "not answering"
            print("\(server.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(server.address.padding(toLength: 18, withPad: " ", startingAt: 0)) \(pid.padding(toLength: 12, withPad: " ", startingAt: 0)) \(state)  log \(server.log)")
        }
    }
}
