import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One server of a running (or stopped) world, as `stsscan world status` shows it.
public struct ServerStatus: Sendable, Equatable {
    public let name: String
    /// The pid recorded by `start`, when that process is still alive.
    public let pid: Int32?
    /// Where it listens (`IP:port`).
    public let address: String
    /// Whether it answered a probe just now (DNS query or TCP connect).
    public let answering: Bool
    /// Its log file.
    public let log: String
}

/// Starts, stops and inspects the servers of a built world: NSD (authoritative DNS),
/// dnsdist (faults and latency in front of NSD), nginx (policy hosts), Unbound (the
/// recursive resolver scans use, reaching NSD through dnsdist) and Postfix (MX hosts,
/// `PostfixInstance`). Each runs as a background process in its own session; its pid goes
/// to `run/<name>.started.pid`, and `stop` signals exactly those pids (and the children
/// they had).
public struct WorldServers {
    public let directory: URL

    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// Debian packages providing what `start` needs.
    public static let aptPackages = ["nsd", "dnsdist", "nginx-light", "libnginx-mod-http-echo", "unbound"]
        + PostfixInstance.aptPackages

    private struct Server {
        let name: String
        let binary: String
        let arguments: [String]
        let ip: String
        let port: Int
        let log: String
        let probe: () -> Bool
    }

    private var dir: String { directory.path }
    /// Every server a world may run, in start order.
    static let serverNames = ["nsd", "dnsdist", "nginx", "unbound"]
    private func pidFile(_ name: String) -> String { "\(dir)/run/\(name).started.pid" }

    private func servers(_ manifest: WorldManifest) -> [Server] {
        let a = manifest.addresses
        return [
            Server(name: "nsd", binary: "nsd", arguments: ["-d", "-c", "\(dir)/nsd.conf"],
                   ip: a.nsdIP, port: a.dnsPort, log: "\(dir)/run/nsd.log",
                   probe: { Probe.dnsRcode(ip: a.nsdIP, port: a.dnsPort, name: "com") == 0 }),
            Server(name: "dnsdist", binary: "dnsdist",
                   arguments: ["--supervised", "--disable-syslog", "-C", "\(dir)/dnsdist.conf"],
                   ip: a.dnsdistIP, port: a.dnsPort, log: "\(dir)/run/dnsdist.log",
                   probe: { Probe.dnsRcode(ip: a.dnsdistIP, port: a.dnsPort, name: "com") == 0 }),
            Server(name: "nginx", binary: "nginx",
                   arguments: ["-p", "\(dir)/run/", "-c", "\(dir)/nginx.conf", "-e", "\(dir)/run/nginx-error.log"],
                   ip: a.httpsIP, port: a.httpsPort, log: "\(dir)/run/nginx-error.log",
                   probe: { Probe.tcpConnects(ip: a.httpsIP, port: a.httpsPort) }),
        ] + [unboundServer(manifest)].compactMap { $0 }
    }

    /// The world's recursive resolver (worlds built before it existed have none).
    private func unboundServer(_ manifest: WorldManifest) -> Server? {
        guard manifest.dns.unbound != nil, FileManager.default.fileExists(atPath: "\(dir)/unbound.conf") else { return nil }
        let a = manifest.addresses
        // A name NSD serves, asked through the whole chain (Unbound, dnsdist, NSD).
        return Server(name: "unbound", binary: "unbound", arguments: ["-d", "-c", "\(dir)/unbound.conf"],
                      ip: a.unboundIP, port: a.dnsPort, log: "\(dir)/run/unbound.log",
                      probe: { Probe.dnsRcode(ip: a.unboundIP, port: a.dnsPort, name: "com") == 0 })
    }

    /// Absolute path of a server binary, searching PATH and the sbin directories.
    static func locate(_ binary: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.map { "\($0)/\(binary)" }.first { access($0, X_OK) == 0 }
    }

    /// Throws `WorldError.missingBinaries` naming the apt packages when a server or the
    /// nginx echo module is not installed.
    public static func checkInstalled() throws {
        var missing: [String] = []
        for binary in ["nsd", "dnsdist", "nginx", "unbound"] where locate(binary) == nil { missing.append(binary) }
        if access(ServerConfigs.echoModule, R_OK) != 0 { missing.append(ServerConfigs.echoModule) }
        if PostfixInstance.binaries() == nil { missing.append("postfix") }
        if !missing.isEmpty { throw WorldError.missingBinaries(missing, packages: aptPackages) }
    }

    private var postfix: PostfixInstance { PostfixInstance(directory: dir) }

    /// Starts NSD, dnsdist, nginx, Unbound and Postfix in that order and waits until each
    /// answers. `latencyMs` overrides the build's DNS latency for this run; `dropShare` makes
    /// dnsdist drop that share of all queries at random (fault tests). `only`: start just that
    /// one server (e.g. `unbound` again after it was killed); the others are left as they are.
    /// On failure, whatever was started is stopped again and the error names the server's log.
    public func start(latencyMs: Int? = nil, dropShare: Double? = nil, only: String? = nil) throws {
        try Self.checkInstalled()
        let manifest = try WorldManifest.load(from: directory)
        var chosen = servers(manifest)
        let startsPostfix = only == nil || only == "postfix"
        if let only {
            chosen = chosen.filter { $0.name == only }
            guard !chosen.isEmpty || only == "postfix" else {
                throw WorldError.badArguments("no server '\(only)' in this world (\(servers(manifest).map(\.name).joined(separator: ", ")))")
            }
        }
        for server in chosen {
            if let pid = recordedPid(server.name), ProcessTable.isAlive(pid) {
                throw WorldError.alreadyRunning(server.name, pid: pid)
            }
        }
        // Another world (or anything else) answering on our addresses would pass the
        // readiness probes while our server fails to bind: refuse to start.
        for server in chosen where server.probe() {
            throw WorldError.addressInUse(server.name, address: "\(server.ip):\(server.port)")
        }
        if startsPostfix { try postfix.preflight(addresses: manifest.addresses) }
        try FileSink.makeDirectory("\(dir)/run")
        if only == nil || only == "dnsdist" {
            try FileSink.write(Array(ServerConfigs.dnsdistLatency(latencyMs ?? manifest.latencyMs, dropShare: dropShare).utf8),
                               to: "\(dir)/dnsdist-latency.lua")
        }
        // NSD parses every zone before it answers: allow time in proportion to the world.
        let nsdTimeout = 60 + Double(manifest.domains) / 5_000
        var started: [String] = []
        do {
            for server in chosen {
                let pid = try ProcessTable.spawn(Self.locate(server.binary)!, server.arguments,
                                                 log: "\(dir)/run/\(server.name).out")
                try FileSink.write(Array("\(pid)\n".utf8), to: pidFile(server.name))
                started.append(server.name)
                try waitReady(server, pid: pid, seconds: server.name == "nsd" ? nsdTimeout : 30)
            }
            if startsPostfix {
                try postfix.start(addresses: manifest.addresses)
                started.append("postfix")
            }
        } catch {
            if only == nil { try? stop() } else { try? stop(only: started) }
            throw error
        }
    }

    private func waitReady(_ server: Server, pid: Int32, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !ProcessTable.isAlive(pid) { break }
            if server.probe() && ProcessTable.isAlive(pid) { return }
            usleep(100_000)
        }
        throw WorldError.serverNotReady(server.name, log: server.log,
                                        lastLines: tail(server.log) + tail("\(dir)/run/\(server.name).out"))
    }

    private func tail(_ path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).map { "  \($0)\n" }.joined()
    }

    private func recordedPid(_ name: String) -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile(name), encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops the servers this world started (reverse order), by their recorded pids,
    /// and removes the pid files. A recorded pid that now belongs to another program
    /// (its command line no longer names this world) is left alone.
    public func stop() throws { try stop(only: Self.serverNames + ["postfix"]) }

    private func stop(only names: [String]) throws {
        var firstError: Error?
        if names.contains("postfix") {
            do { try postfix.stop() } catch { firstError = error }
        }
        for name in Self.serverNames.reversed() where names.contains(name) {
            guard let pid = recordedPid(name) else { continue }
            if ProcessTable.isAlive(pid), ProcessTable.commandLine(pid)?.contains(dir) == true {
                do { try ProcessTable.terminate(pid, name: name) } catch { firstError = firstError ?? error }
            }
            ProcessTable.reap(pid)
            if firstError == nil { unlink(pidFile(name)) }
        }
        if let firstError { throw firstError }
    }

    /// Each server with its pid (when running) and whether it answers now.
    public func status() -> [ServerStatus] {
        let manifest = (try? WorldManifest.load(from: directory))
        let list = manifest.map(servers) ?? []
        return list.map { server in
            let pid = recordedPid(server.name).flatMap { ProcessTable.isAlive($0) ? $0 : nil }
            return ServerStatus(name: server.name, pid: pid, address: "\(server.ip):\(server.port)",
                                answering: pid != nil && server.probe(), log: server.log)
        } + (manifest.map { [postfix.status(addresses: $0.addresses)] } ?? [])
    }

    /// The pids (servers and their children) currently running for this world.
    public func runningPids() -> [Int32] {
        Self.serverNames.compactMap(recordedPid).filter(ProcessTable.isAlive).flatMap {
            [$0] + ProcessTable.descendants(of: $0)
        } + postfix.runningPids()
    }
}
