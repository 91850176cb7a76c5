import ArgumentParser
import Foundation
import STSWorld

/// `stsscan world build DIR`.
struct WorldBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Generate a world: zones, server configs, test CA and certificates, policies, domains.csv, truth.csv."
    )

    @Argument(help: "The world directory (created; a previous world there is replaced).")
    var directory: String

    @Option(help: "Number of domains in domains.csv.")
    var domains: Int

    @Option(help: "Fraction of domains that deploy MTA-STS (0...1).")
    var adoption: Double = 0.02

    @Option(help: "Seed: the same seed builds the same world.")
    var seed: UInt64 = 1

    @Option(help: "Latency added to every DNS answer by dnsdist, in milliseconds.")
    var latencyMs: Int = 0

    @Option(help: ArgumentHelp("Share of adopters whose policy host accepts and never answers (0...1; "
                               + "default: a handful). All policy hosts share one address.", valueName: "fraction"))
    var hangingHosts: Double?

    @Option(help: "Second octet of the world's 127.B.x.x addresses (run several worlds side by side).")
    var addressBlock: UInt8 = 0

    @Flag(help: ArgumentHelp("Include an IPv6-only MX host (AAAA ::1, Postfix on [::1]:25). IPv6 loopback has one "
                             + "address: only one such world can run at a time."))
    var ipv6MX = false

    func validate() throws {
        guard domains >= 1 else { throw ValidationError("--domains must be at least 1") }
        guard (0...1).contains(adoption) else { throw ValidationError("--adoption must be within 0...1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        if let hangingHosts, !(0...1).contains(hangingHosts) { throw ValidationError("--hanging-hosts must be within 0...1") }
    }

    func run() throws {
        var builder = WorldBuilder(directory: URL(fileURLWithPath: directory), domains: domains, adoption: adoption,
                                   seed: seed, latencyMs: latencyMs, addresses: WorldAddresses(block: addressBlock))
        builder.hangingHosts = hangingHosts
        builder.ipv6MX = ipv6MX
        let summary = try builder.build()
        print("built \(summary.domains) domains (\(summary.adopting) adopting MTA-STS, "
              + "\(summary.scenarioCounts.count) scenarios, \(summary.policyHosts) policy hosts, "
              + "\(summary.certificates) certificates) in \(String(format: "%.1f", summary.seconds)) s")
        print("mail: \(summary.probedMXHosts) distinct MX hosts to probe (valid enforce/testing policies), "
              + "\(summary.mailCertificateNames) names in Postfix's SNI table, \(summary.mailCertificates) MX certificates")
        print("world: \(builder.directory.path)/world.json")
    }
}
