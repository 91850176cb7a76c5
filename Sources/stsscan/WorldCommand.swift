import ArgumentParser

/// `stsscan world`: build and run the simulated internet.
struct WorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Build and run a simulated internet on loopback, with ground truth for every domain.",
        subcommands: [WorldBuildCommand.self, WorldStartCommand.self, WorldStopCommand.self, WorldStatusCommand.self, WorldScanCommand.self,
                      WorldEvolveCommand.self]
    )
}
