import Foundation
@testable import STSWorld

/// Helpers shared by the world tests: temporary directories and running tools.
enum WorldTestSupport {
    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("stsworld-tests-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// Builds a world where every scenario appears (600 domains at 20 % adoption).
    static func smallWorld(_ name: String, seed: UInt64 = 42, block: UInt8 = 0) throws -> (URL, WorldBuildSummary) {
        let dir = temporaryDirectory(name)
        var builder = WorldBuilder(directory: dir, domains: 600, adoption: 0.2, seed: seed, latencyMs: 0,
                                   addresses: WorldAddresses(block: block))
        builder.ipv6MX = true  // every scenario; these worlds run one at a time
        let summary = try builder.build()
        return (dir, summary)
    }

    /// Every regular file under `dir`, by relative path.
    static func files(under dir: URL) -> [String] {
        let base = dir.path + "/"
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        var result: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(path)
            }
        }
        return result.sorted()
    }

    /// Runs a program; returns its exit status and standard output.
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
