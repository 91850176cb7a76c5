import Foundation
import Testing

/// Issue 13: the CI scripts stop only what the project started (never by process name),
/// and `scripts/deps.sh` installs packages with Debian's daemons kept from starting.
@Suite(.serialized) struct ScriptsEndToEndTests {
    static let root = StsscanBinary.repositoryRoot

    struct Shell {
        let status: Int32
        let output: String
    }

    static func bash(_ script: String, environment: [String: String] = [:]) throws -> Shell {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-script-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close(); try? FileManager.default.removeItem(at: log) }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return Shell(status: process.terminationStatus, output: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test func ciStopsNothingByName() throws {
        for path in [".ci/run", "scripts/test.sh", "scripts/stop-leftovers.sh", "scripts/demo.sh", "scripts/bench.sh",
                     "scripts/bench-shards.sh", "scripts/private-slurm.sh", "deploy/slurm/submit.sh"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            #expect(!code.contains { $0.contains("pkill") || $0.contains("killall") }, "\(path) kills by name")
        }
        let ci = try String(contentsOf: Self.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("scripts/stop-leftovers.sh"))
    }

    /// A leftover world (its server recorded in run/<name>.started.pid) is stopped; a
    /// process of the same kind that the project did not start is left alone.
    @Test func leftoversAreStoppedByTheirRecordedPids() async throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-leftovers-\(UUID())")
        let world = temp.appendingPathComponent("stsscan-world-test")
        try FileManager.default.createDirectory(at: world.appendingPathComponent("run"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        try Data("{}".utf8).write(to: world.appendingPathComponent("world.json"))
        // Two sleeping "servers": one recorded by the world (its command line names the
        // world directory, as the real servers' configuration paths do), one foreign.
        let ours = Process()
        ours.executableURL = URL(fileURLWithPath: "/bin/bash")
        ours.arguments = ["-c", "exec -a '\(world.path)/nginx' sleep 300"]
        let foreign = Process()
        foreign.executableURL = URL(fileURLWithPath: "/bin/sleep")
        foreign.arguments = ["301"]
        try ours.run()
        try foreign.run()
        defer {
            if ours.isRunning { ours.terminate() }
            if foreign.isRunning { foreign.terminate() }
        }
        try Data("\(ours.processIdentifier)\n".utf8).write(to: world.appendingPathComponent("run/nginx.started.pid"))
        try await Task.sleep(for: .milliseconds(200))
        let run = try Self.bash("scripts/stop-leftovers.sh '\(try StsscanBinary.url().path)'", environment: ["TMPDIR": temp.path])
        #expect(run.status == 0, "\(run.output)")
        let deadline = Date().addingTimeInterval(10)
        while ours.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!ours.isRunning, "the recorded server is stopped")
        #expect(foreign.isRunning, "a process the project did not start is left alone")
    }

    /// With a package missing, deps.sh installs under a policy-rc.d that exits 101 (no
    /// daemon starts) and removes it afterwards; a policy the machine had is put back.
    @Test func depsInstallsWithDaemonsKeptFromStarting() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-deps-\(UUID())")
        let bin = temp.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let policy = temp.appendingPathComponent("policy-rc.d").path
        let record = temp.appendingPathComponent("record").path
        func fake(_ name: String, _ body: String) throws {
            let path = bin.appendingPathComponent(name).path
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
        }
        // dpkg says unbound is missing; apt-get records what a package script would be told.
        try fake("dpkg-query", "case \"$*\" in *unbound*) exit 1;; esac; echo 'install ok installed'")
        try fake("apt-get", """
            case "$*" in *install*)
              echo "packages: $*" >> \(record)
              if [ -x \(policy) ]; then \(policy) unbound start; echo "policy-rc.d exit $?" >> \(record); fi ;;
            esac
            """)
        try fake("debconf-set-selections", "cat >/dev/null")
        try fake("swift", "exit 0")
        let environment = ["PATH": bin.path + ":/usr/bin:/bin", "STSSCAN_POLICY_RC_D": policy]

        let fresh = try Self.bash("bash scripts/deps.sh", environment: environment)
        #expect(fresh.status == 0, "\(fresh.output)")
        let log = try String(contentsOfFile: record, encoding: .utf8)
        #expect(log.contains("policy-rc.d exit 101"), "\(log)")
        #expect(log.contains("unbound") && log.contains("postfix") == false)  // only the missing one
        #expect(!FileManager.default.fileExists(atPath: policy), "the temporary policy is removed")

        // A machine's own policy is restored byte for byte.
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: policy))
        chmod(policy, 0o755)
        let again = try Self.bash("bash scripts/deps.sh", environment: environment)
        #expect(again.status == 0, "\(again.output)")
        #expect(try String(contentsOfFile: policy, encoding: .utf8) == "#!/bin/sh\nexit 0\n")
        #expect(try String(contentsOfFile: record, encoding: .utf8).components(separatedBy: "policy-rc.d exit 101").count == 3)

        let list = try String(contentsOf: Self.root.appendingPathComponent("scripts/deps.sh"), encoding: .utf8)
        #expect(list.contains("unbound postfix"))
    }
}
