import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback addresses of the engine tests (127.0.61.x: clear of the world's 127.0.53/54.x).
enum TestAddresses {
    static let nsd = "127.0.61.1"
    static let fakeDNS = "127.0.61.3"
    static let blackhole = "127.0.61.250"
    static let https = "127.0.61.20"
    static let refused = "127.0.61.21"
    static let plainHTTP = "127.0.61.22"
    static let fullBacklog = "127.0.61.23"
}

/// A server process the tests started; stopped by its pid.
final class ServerProcess {
    let name: String
    let process: Process

    init(name: String, executable: String, arguments: [String], log: String) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

enum TestSupport {
    /// A fresh directory for one test's servers; a server left by a crashed earlier run of
    /// the same test (found by its pid file there) is stopped first.
    static func directory(_ name: String) throws -> String {
        let path = "/tmp/stsscan-engine-tests/\(name)"
        for pidFile in ["nsd.pid", "nginx.pid"] {
            if let text = try? String(contentsOfFile: "\(path)/\(pidFile)", encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 {
                kill(pid, SIGTERM)
                usleep(300_000)
            }
        }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o755)
        return path
    }

    /// Runs a shell script; throws with its output when it fails.
    static func shell(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("script failed: \(String(decoding: output, as: UTF8.self))")
        }
    }

    /// Waits until something accepts TCP connections on address:port.
    static func waitForTCP(_ address: String, _ port: UInt16, seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &sin.sin_addr)
            let result = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if result == 0 { return }
            usleep(50_000)
        }
        throw TestFailure("nothing listens on \(address):\(port)")
    }

    /// CPU time (user + system) of this process, in milliseconds.
    static func cpuMs() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A bound UDP socket that never answers: queries to it time out.
final class BlackholeUDP {
    let fd: Int32

    init(address: String, port: UInt16 = 53) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &sin.sin_addr)
        let result = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { Glibc.close(fd); throw TestFailure("bind \(address):\(port): errno \(errno)") }
    }

    func close() { _ = Glibc.close(fd) }
}

/// A TCP listener whose accept queue is kept full, so the kernel drops further SYNs and a
/// connection attempt times out (loopback otherwise answers at once).
final class FullBacklogTCP {
    private var fds: [Int32] = []

    init(address: String, port: UInt16) throws {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &sin.sin_addr)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        fds.append(listener)
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 0) == 0 else { close(); throw TestFailure("listen \(address):\(port): errno \(errno)") }
        for _ in 0..<3 {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            fds.append(client)
            _ = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        usleep(100_000)
    }

    func close() {
        for fd in fds { _ = Glibc.close(fd) }
        fds = []
    }
}
