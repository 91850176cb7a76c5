import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The world's private Postfix instance (config `postfix/`, queue and data under `run/`),
/// started and stopped with `postfix -c DIR start|stop`. Its master's pid goes to
/// `run/postfix.started.pid`; `stop` acts only on that pid, and only while the process
/// still runs with this world's `MAIL_CONFIG`. Never by process name.
struct PostfixInstance {
    let directory: String

    /// Debian packages providing what `start` needs.
    static let aptPackages = ["postfix"]
    static let name = "postfix"

    var configDirectory: String { PostfixConfig.configDirectory(directory) }
    /// The world's master.cf has the IPv6-only MX hosts' smtpd on `[::1]:25`.
    var servesIPv6: Bool {
        let master = (try? String(contentsOfFile: "\(configDirectory)/master.cf", encoding: .utf8)) ?? ""
        return master.contains("\n\(PostfixConfig.ipv6Service) ")
    }
    var pidFile: String { "\(directory)/run/postfix.started.pid" }
    var logFile: String { PostfixConfig.logFile(directory) }
    private var outputFile: String { "\(directory)/run/postfix.out" }

    /// The binaries `start` runs, or nil when Postfix is not installed.
    static func binaries() -> (postfix: String, postmap: String)? {
        guard let postfix = WorldServers.locate("postfix"), let postmap = WorldServers.locate("postmap") else { return nil }
        return (postfix, postmap)
    }

    /// Compiles the SNI table, starts Postfix and waits for its greeting on the main mail
    /// address. Throws with the log's last lines when it does not come up.
    func start(addresses: WorldAddresses) throws {
        guard let tools = Self.binaries() else {
            throw WorldError.missingBinaries(["postfix"], packages: Self.aptPackages)
        }
        guard FileManager.default.fileExists(atPath: "\(configDirectory)/main.cf") else {
            throw WorldError.io("\(configDirectory)/main.cf is missing: this world was built by an older stsscan; "
                                + "rebuild it with `stsscan world build`")
        }
        try preflight(addresses: addresses)
        try prepareDirectories()
        let map = try run(tools.postmap, ["-c", configDirectory, "-F", "hash:\(directory)/\(MailCertificates.sniSource)"])
        guard map == 0 else { throw notReady("postmap -F of the SNI table failed (exit \(map))") }
        let status = try run(tools.postfix, ["-c", configDirectory, "start"])
        guard status == 0, let pid = masterPid() else { throw notReady("postfix start failed (exit \(status))") }
        try FileSink.write(Array("\(pid)\n".utf8), to: pidFile)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if Probe.smtpGreeting(ip: addresses.mailIP, port: addresses.mailPort)?.hasPrefix("220") == true { return }
            if !ProcessTable.isAlive(pid) { break }
            usleep(100_000)
        }
        throw notReady("no 220 greeting on \(addresses.mailIP):\(addresses.mailPort)")
    }

    /// Refuses to start when this instance runs already or something else answers on one
    /// of its addresses (another world, a system-wide Postfix on 0.0.0.0:25).
    func preflight(addresses: WorldAddresses) throws {
        guard geteuid() == 0 else {
            throw WorldError.io("Postfix needs root to listen on port 25 and run as its mail_owner; "
                                + "run `stsscan world start` as root")
        }
        if let pid = runningPid() { throw WorldError.alreadyRunning(Self.name, pid: pid) }
        for ip in addresses.ordinaryMailIPs + [addresses.noStartTLSMailIP, addresses.handshakeFailMailIP,
                                               addresses.tarpitMailIP, addresses.rejectingMailIP] + (servesIPv6 ? [addresses.ipv6MailIP] : [])
        where Probe.tcpConnects(ip: ip, port: addresses.mailPort, timeoutMs: 200) {
            throw WorldError.addressInUse(Self.name, address: "\(ip):\(addresses.mailPort)")
        }
    }

    /// Stops the instance this world started: `postfix -c DIR stop`, then waits for the
    /// master and its children to exit (SIGTERM, then SIGKILL, to that recorded pid only).
    func stop() throws {
        guard let pid = recordedPid() else { return }
        if isOurs(pid) {
            if let tools = Self.binaries() { _ = try? run(tools.postfix, ["-c", configDirectory, "stop"]) }
            try ProcessTable.terminate(pid, name: Self.name)
        }
        ProcessTable.reap(pid)
        unlink(pidFile)
    }

    /// The master's pid while it runs.
    func runningPid() -> Int32? {
        guard let pid = recordedPid(), isOurs(pid) else { return nil }
        return pid
    }

    /// The master and its children.
    func runningPids() -> [Int32] {
        guard let pid = runningPid() else { return [] }
        return [pid] + ProcessTable.descendants(of: pid)
    }

    /// The status line of `stsscan world status`: answering = a `220` greeting now.
    func status(addresses: WorldAddresses) -> ServerStatus {
        let pid = runningPid()
        let greets = pid != nil && Probe.smtpGreeting(ip: addresses.mailIP, port: addresses.mailPort)?.hasPrefix("220") == true
        return ServerStatus(name: Self.name, pid: pid, address: "\(addresses.mailIP):\(addresses.mailPort)",
                            answering: greets, log: logFile)
    }

    // MARK: - helpers

    private func recordedPid() -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Alive and a Postfix process of this world's configuration (`MAIL_CONFIG`), so a
    /// recycled pid is never signalled.
    private func isOurs(_ pid: Int32) -> Bool {
        guard ProcessTable.isAlive(pid),
              let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
        return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "MAIL_CONFIG=\(configDirectory)" }
    }

    /// The pid in the queue's `pid/master.pid` (written by the master itself).
    private func masterPid() -> Int32? {
        let path = "\(PostfixConfig.queueDirectory(directory))/pid/master.pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The queue directory belongs to root (Postfix creates its subdirectories), the data
    /// directory to the `postfix` user.
    private func prepareDirectories() throws {
        try FileSink.makeDirectory("\(directory)/run")
        try FileSink.makeDirectory(PostfixConfig.queueDirectory(directory))
        let data = PostfixConfig.dataDirectory(directory)
        try FileSink.makeDirectory(data)
        guard let user = getpwnam("postfix") else {
            throw WorldError.missingBinaries(["user postfix"], packages: Self.aptPackages)
        }
        if chown(data, user.pointee.pw_uid, user.pointee.pw_gid) != 0 {
            throw WorldError.io("cannot give \(data) to user postfix (errno \(errno)); `world start` must run as root "
                                + "to start Postfix on port 25")
        }
    }

    /// Runs a tool to completion, output appended to `run/postfix.out`. Spawned like the
    /// servers (no inherited descriptors), because `postfix start` leaves the master
    /// daemon behind, which must not hold our pipes.
    private func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        let pid = try ProcessTable.spawn(path, arguments, log: outputFile)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand (macros are not imported).
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    private func notReady(_ what: String) -> WorldError {
        WorldError.serverNotReady(Self.name, log: logFile,
                                  lastLines: "  \(what)\n" + tail(logFile) + tail(outputFile))
    }

    private func tail(_ path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).map { "  \($0)\n" }.joined()
    }
}
