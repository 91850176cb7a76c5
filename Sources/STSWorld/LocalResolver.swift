import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `stsscan resolver start DIR` / `stop DIR`: a local Unbound for surveys, with its config,
/// pid file and log inside DIR. Started in its own session like the world's servers and
/// stopped by its recorded pid.
public struct LocalResolver {
    public let directory: URL

    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// Where it listens by default: a loopback address of its own (not 127.0.0.1, where
    /// other local DNS tools listen, nor systemd-resolved's 127.0.0.53) and a port that
    /// needs no privileges and is not mDNS's 5353.
    public static let defaultIP = "127.0.0.153"
    public static let defaultPort = 5300

    private var dir: String { directory.path }
    private var pidFile: String { "\(dir)/unbound.started.pid" }
    public var logFile: String { "\(dir)/unbound.log" }
    /// Unbound's standard output and error.
    public var outputFile: String { "\(dir)/unbound.out" }

    /// Writes the configuration, starts Unbound and waits until it answers. Returns the
    /// `--resolver` value for scans (`IP:PORT`).
    public func start(_ config: LocalResolverConfig) throws -> String {
        guard let binary = WorldServers.locate("unbound") else {
            throw WorldError.missingBinaries(["unbound"], packages: ["unbound"])
        }
        guard config.ip.hasPrefix("127."), Self.isIPv4(config.ip) else {
            throw WorldError.badArguments("--listen \(config.ip): the resolver listens on loopback only (127.0.0.0/8)")
        }
        if config.dnssec, access(LocalResolverConfig.rootKey, R_OK) != 0 {
            throw WorldError.missingBinaries([LocalResolverConfig.rootKey], packages: ["dns-root-data"])
        }
        if let pid = recordedPid(), ProcessTable.isAlive(pid) {
            throw WorldError.badArguments("the resolver in \(dir) is already running (pid \(pid)); "
                                          + "run `stsscan resolver stop \(ShellQuote.word(dir))` first")
        }
        if Probe.dnsRcode(ip: config.ip, port: config.port, name: "localhost") != nil {
            throw WorldError.resolverAddressInUse(address: "\(config.ip):\(config.port)")
        }
        try FileSink.makeDirectory(dir)
        try FileSink.write(Array(config.text(dir: dir).utf8), to: "\(dir)/unbound.conf")
        let pid = try ProcessTable.spawn(binary, ["-d", "-c", "\(dir)/unbound.conf"], log: outputFile)
        try FileSink.write(Array("\(pid)\n".utf8), to: pidFile)
        // Ready when it answers a name it serves itself (no query leaves the machine).
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, ProcessTable.isAlive(pid) {
            if Probe.dnsRcode(ip: config.ip, port: config.port, name: "localhost", timeoutMs: 300) != nil {
                return "\(config.ip):\(config.port)"
            }
            usleep(100_000)
        }
        try? stop()
        // Unbound reports what stops it at start (a port taken, a bad option) on its standard
        // output and error, before it opens its log file.
        let logs = [outputFile, logFile].filter { !Self.tail($0).isEmpty }
        throw WorldError.serverNotReady("unbound", log: logs.isEmpty ? outputFile : logs.joined(separator: " and "),
                                        lastLines: logs.map { Self.tail($0) }.joined())
    }

    /// Stops the resolver started from this directory (a pid now belonging to another
    /// program is left alone). True when one was running.
    @discardableResult
    public func stop() throws -> Bool {
        guard let pid = recordedPid() else { return false }
        var wasRunning = false
        if ProcessTable.isAlive(pid), ProcessTable.commandLine(pid)?.contains(dir) == true {
            wasRunning = true
            try ProcessTable.terminate(pid, name: "unbound")
        }
        ProcessTable.reap(pid)
        unlink(pidFile)
        return wasRunning
    }

    /// The running resolver's pid, if any.
    public var runningPid: Int32? { recordedPid().flatMap { ProcessTable.isAlive($0) ? $0 : nil } }

    private func recordedPid() -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func tail(_ path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).map { "  \($0)\n" }.joined()
    }
}
