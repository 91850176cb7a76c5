import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world evolve DIR --seed S`.
struct WorldEvolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evolve",
        abstract: "Change a built world in place as months would, and write the planted transitions to transitions.csv.",
        discussion: """
            A deterministic sample (for the world and --seed) adopts MTA-STS, drops it, changes mode, max_age or mx \
            patterns (with a new id, or the body without one), changes only the id, lets a policy host's certificate \
            expire (or renews an expired one) or moves its mail away from the policy. truth.csv and mx-hosts.csv describe the new state; \
            transitions.csv lists what `stsscan diff` of a scan before and a scan after must find. Running servers \
            serve the new state after `stsscan world stop` and `stsscan world start`.
            """)

    @Argument(help: "The world directory.")
    var directory: String

    @Option(help: "Seed: the same world and seed make the same changes.")
    var seed: UInt64 = 1

    func run() throws {
        let url = URL(fileURLWithPath: directory)
        let summary = try WorldEvolution(directory: url, seed: seed).evolve()
        let changes = summary.changes.map { "\($0.name) \($0.domains)" }.joined(separator: ", ")
        print("evolved in \(String(format: "%.1f", summary.seconds)) s: \(changes)")
        print("planted \(summary.transitions) transitions: \(url.standardizedFileURL.path)/\(WorldEvolution.transitionsFile)")
        if WorldServers(directory: url).status().contains(where: { $0.pid != nil }) {
            print("the servers still serve the old state: run `stsscan world stop` and `stsscan world start`")
        }
    }
}
