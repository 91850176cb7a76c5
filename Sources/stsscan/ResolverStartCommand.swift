import ArgumentParser
import Foundation
import STSWorld

/// `stsscan resolver start DIR`.
struct ResolverStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a local Unbound for scanning in the background; prints the --resolver to use.",
        discussion: """
        Its configuration, pid file and log go to DIR. Large caches, enough ports and queries \
        per thread, no rate limits, no DNSSEC validation unless --dnssec; see docs/resolver.md. \
        Stop it with `stsscan resolver stop DIR`.
        """)

    @Argument(help: "Directory for its configuration, pid file and log (created when missing).")
    var directory: String

    @Option(help: ArgumentHelp("Loopback address and port to listen on.", valueName: "ip:port"))
    var listen: String = "\(LocalResolver.defaultIP):\(LocalResolver.defaultPort)"

    @Option(help: "Unbound threads (one core each at full load; the scanner needs the rest).")
    var threads: Int = 1

    @Flag(help: "Validate DNSSEC (slower; needs the root trust anchor of package dns-root-data).")
    var dnssec = false

    @Option(help: ArgumentHelp("Send every query to this server instead of resolving from the root "
                               + "(repeatable; tests point it at a world's dnsdist).", valueName: "ip[:port]"))
    var forward: [String] = []

    func validate() throws {
        guard parsedListen != nil else {
            throw ValidationError("--listen '\(listen)' is not IPv4:PORT on loopback (e.g. 127.0.0.153:5300)")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1...64") }
        for server in forward where Self.unboundAddress(server) == nil {
            throw ValidationError("--forward '\(server)' is not IPv4[:PORT] (e.g. 127.0.53.2 or 127.0.53.2:53)")
        }
    }

    private var parsedListen: (ip: String, port: Int)? {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port), parts[0].hasPrefix("127.") else { return nil }
        var address = in_addr()
        guard inet_pton(AF_INET, String(parts[0]), &address) == 1 else { return nil }
        return (String(parts[0]), port)
    }

    /// `IP[:PORT]` as Unbound writes it (`IP@PORT`).
    static func unboundAddress(_ text: String) -> String? {
        let parts = text.split(separator: ":")
        guard (1...2).contains(parts.count) else { return nil }
        var address = in_addr()
        guard inet_pton(AF_INET, String(parts[0]), &address) == 1 else { return nil }
        guard parts.count == 2 else { return "\(parts[0])@53" }
        guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
        return "\(parts[0])@\(port)"
    }

    func run() throws {
        let (ip, port) = parsedListen!
        let config = LocalResolverConfig(ip: ip, port: port, threads: threads, dnssec: dnssec,
                                         forward: forward.compactMap(Self.unboundAddress))
        let resolver = LocalResolver(directory: URL(fileURLWithPath: directory))
        let address = try resolver.start(config)
        print("resolver started (pid \(resolver.runningPid.map(String.init) ?? "?"), log \(resolver.logFile))")
        print("scan with: --resolver \(address)")
        print("stop with: stsscan resolver stop \(ShellQuote.word(directory))")
    }
}
