import ArgumentParser

/// `stsscan resolver`: a local recursive resolver for surveys of the real internet.
struct ResolverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolver",
        abstract: "Run a local Unbound tuned for bulk scanning (docs/resolver.md).",
        subcommands: [ResolverStartCommand.self, ResolverStopCommand.self]
    )
}
