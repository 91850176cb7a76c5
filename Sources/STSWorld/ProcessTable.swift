import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Linux `/proc` queries and process control for the servers a world starts.
enum ProcessTable {
    /// True when `pid` exists and is not a zombie (an exited child nobody reaped yet).
    static func isAlive(_ pid: Int32) -> Bool {
        reap(pid)
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return state(pid).map { $0 != "Z" && $0 != "X" } ?? false
    }

    /// Collects the exit status if `pid` is our own child (no effect otherwise).
    static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// The one-letter state from `/proc/PID/stat`.
    static func state(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.first?.first
    }

    static func parent(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.count > 1 ? Int32(rest[1]) : nil
    }

    /// The command line, arguments joined with spaces.
    static func commandLine(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    /// All live descendants of `pid` (children, their children ...).
    static func descendants(of pid: Int32) -> [Int32] {
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        var parents: [Int32: Int32] = [:]
        for candidate in all { if let parent = parent(candidate) { parents[candidate] = parent } }
        var found: [Int32] = []
        var seen: Set<Int32> = [pid]
        var frontier: Set<Int32> = [pid]
        while !frontier.isEmpty {
            let next = parents.filter { frontier.contains($0.value) && !seen.contains($0.key) }.map(\.key)
            found += next
            seen.formUnion(next)
            frontier = Set(next)
        }
        return found.filter(isAlive)
    }

    /// Starts `path` with `arguments` in a new session (detached from the terminal),
    /// stdin from /dev/null and stdout/stderr appended to `log`.
    static func spawn(_ path: String, _ arguments: [String], log: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Close every other inherited descriptor: a server holding our parent's pipes would
        // keep that parent waiting for an EOF that never comes (Foundation's Process
        // detects child exit that way).
        for fd in openDescriptors() where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc >= 2.26): the servers must not die with our terminal.
        // An empty signal mask and default dispositions: the calling thread (a Swift
        // runtime thread) blocks most signals, and a child inheriting that mask ignores
        // SIGTERM (NSD and dnsdist then needed SIGKILL after the full grace period).
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw WorldError.spawnFailed(path, errno: result) }
        return pid
    }

    /// The descriptors open in this process (from /proc/self/fd).
    private static func openDescriptors() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        // The directory listing itself used a descriptor that is closed again by now.
        return names.compactMap { Int32($0) }.filter { fcntl($0, F_GETFD) != -1 }
    }

    /// SIGTERM, wait up to `grace` seconds, then SIGKILL; returns when `pid` and the
    /// descendants it had are gone. Throws if they survive SIGKILL.
    static func terminate(_ pid: Int32, name: String, grace: Double = 10) throws {
        let family = [pid] + descendants(of: pid)
        kill(pid, SIGTERM)
        if waitGone(family, seconds: grace) { return }
        for member in family where isAlive(member) { kill(member, SIGKILL) }
        if !waitGone(family, seconds: 5) { throw WorldError.stopFailed(name, pid: pid) }
    }

    private static func waitGone(_ pids: [Int32], seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !pids.contains(where: isAlive) { return true }
            usleep(20_000)
        }
        return !pids.contains(where: isAlive)
    }
}
