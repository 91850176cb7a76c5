import Foundation

/// Which processes have a file open (from `/proc/PID/fd`), to name what holds a database's
/// SQLite lock when it is not an stsscan scan. Processes of other users are not readable
/// and go unnamed.
enum LockHolders {
    /// "sqlite3 (pid 1234)" for each other process with `path` (or its `-wal`) open.
    static func describe(_ path: String) -> [String] {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let wanted: Set<String> = [target, target + "-wal"]
        let me = getpid()
        var found: [String] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != me else { continue }
            let fds = "/proc/\(entry)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: fds) else { continue }
            let holds = descriptors.contains { fd in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(fd)")).map(wanted.contains) ?? false
            }
            guard holds else { continue }
            let name = (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            found.append("\(name) (pid \(pid))")
        }
        return found.sorted()
    }
}
