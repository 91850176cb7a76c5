import Foundation
import GRDB
import STSWorld

/// A simulated internet built and started by the real binary for one test, on its own
/// 127.B.x.x address block so tests never share servers. Stopped by `stop()`.
final class TestWorld: Sendable {
    let directory: URL
    let manifest: WorldManifest

    /// `stsscan world build` + `stsscan world start`.
    /// `buildOptions`: further `world build` options (e.g. `--hanging-hosts 0.01`).
    init(domains: Int, adoption: Double, seed: UInt64, addressBlock: Int, buildOptions: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-world-\(UUID().uuidString)")
        let build = try StsscanBinary.run(["world", "build", directory.path, "--domains", String(domains),
                                           "--adoption", String(adoption), "--seed", String(seed),
                                           "--address-block", String(addressBlock)] + buildOptions)
        guard build.status == 0 else { throw Failure("world build failed: \(build.err)") }
        manifest = try WorldManifest.load(from: directory)
        let start = try StsscanBinary.run(["world", "start", directory.path])
        guard start.status == 0 else {
            _ = try? StsscanBinary.run(["world", "stop", directory.path])
            throw Failure("world start failed: \(start.err)")
        }
    }

    /// `init` for async tests, off the cooperative pool (`Blocking`).
    static func started(domains: Int, adoption: Double, seed: UInt64, addressBlock: Int,
                        buildOptions: [String] = []) async throws -> TestWorld {
        try await Blocking.run {
            try TestWorld(domains: domains, adoption: adoption, seed: seed, addressBlock: addressBlock,
                          buildOptions: buildOptions)
        }
    }

    var databasePath: String { directory.appendingPathComponent("scan.sqlite").path }
    var domainsPath: String { directory.appendingPathComponent(manifest.domainsFile).path }

    func stop() {
        _ = try? StsscanBinary.run(["world", "stop", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// The pid a server of the world runs as (`nsd`, `dnsdist`, `nginx`, `unbound`).
    func pid(of server: String) throws -> Int32 {
        let text = try String(contentsOf: directory.appendingPathComponent("run/\(server).started.pid"), encoding: .utf8)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw Failure("bad pid file") }
        return pid
    }

    func truth() throws -> [TruthRow] { try TruthFile.read(directory.appendingPathComponent(manifest.truthFile)) }

    /// The expected STARTTLS outcome of every MX host a default scan probes (`mx-hosts.csv`).
    func mxHostTruth() throws -> [MXHostTruth] {
        try MXHostTruth.read(directory.appendingPathComponent(manifest.mxHostsFile ?? MXHostTruth.fileName))
    }

    /// Opens the scan database (default: `databasePath`) read-only.
    func database(_ path: String? = nil) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path ?? databasePath, configuration: configuration)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
