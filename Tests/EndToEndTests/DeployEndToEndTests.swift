import Foundation
import GRDB
import Testing

/// deploy/ cannot rot: the exact command lines of the Kubernetes Jobs (extracted from the
/// YAML) and of the Slurm scripts run here, with the index variable set and paths mapped by
/// their environment variables, against a world: every shard through its own Unbound
/// (`stsscan resolver start`, forwarding to the world), then the merge step; the merged
/// database holds every entry exactly once. World on address block 147.
@Suite(.serialized) struct DeployEndToEndTests {
    static let deploy = StsscanBinary.repositoryRoot.appendingPathComponent("deploy")
    static let shards = 2

    @Test func kubernetesAndSlurmFilesRunAgainstAWorld() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.2, seed: 1470, addressBlock: 147)
        defer { world.stop() }
        let entries = try world.truth().count

        let job = try Self.container(Self.deploy.appendingPathComponent("kubernetes/indexed-job.yaml"))
        #expect(job.spec["completionMode"] as? String == "Indexed")
        #expect(job.spec["completions"] as? Int == Int(job.env["STSSCAN_SHARDS"] ?? ""), "completions = STSSCAN_SHARDS")
        #expect(job.spec["parallelism"] as? Int == job.spec["completions"] as? Int)
        let merge = try Self.container(Self.deploy.appendingPathComponent("kubernetes/merge-job.yaml"))
        #expect(merge.env["STSSCAN_SHARDS"] == job.env["STSSCAN_SHARDS"])

        let k8sOut = world.directory.appendingPathComponent("k8s").path
        for index in 0..<Self.shards {
            let run = try await Self.run(job.command, env: job.env.merging(Self.mapped(world, out: k8sOut)) { $1 }
                                            .merging(["JOB_COMPLETION_INDEX": String(index)]) { $1 })
            #expect(run.status == 0, "pod \(index): \(run.output)")
        }
        // A pod retried after its shard finished does nothing and succeeds.
        let again = try await Self.run(job.command, env: job.env.merging(Self.mapped(world, out: k8sOut)) { $1 }
                                          .merging(["JOB_COMPLETION_INDEX": "0"]) { $1 })
        #expect(again.status == 0 && !again.output.contains("scan 1 finished"), "\(again.output)")
        let merged = try await Self.run(merge.command, env: merge.env.merging(Self.mapped(world, out: k8sOut)) { $1 })
        #expect(merged.status == 0, "merge job: \(merged.output)")
        try Self.expectEveryEntryOnce(k8sOut, entries: entries)

        let script = Self.deploy.appendingPathComponent("slurm/scan-array.sh").path
        let arrayLine = try String(contentsOfFile: script, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("#SBATCH --array=") }
        #expect(arrayLine == "#SBATCH --array=0-7", "the array matches the default STSSCAN_SHARDS=8")
        let slurmOut = world.directory.appendingPathComponent("slurm").path
        for index in 0..<Self.shards {
            let run = try await Self.run(["/bin/bash", script], env: Self.mapped(world, out: slurmOut)
                                            .merging(["SLURM_ARRAY_TASK_ID": String(index),
                                                      "STSSCAN_EHLO_NAME": "scanner.example.org"]) { $1 })
            #expect(run.status == 0, "task \(index): \(run.output)")
        }
        let slurmMerge = try await Self.run(["/bin/bash", Self.deploy.appendingPathComponent("slurm/merge.sh").path],
                                            env: Self.mapped(world, out: slurmOut))
        #expect(slurmMerge.status == 0, "merge.sh: \(slurmMerge.output)")
        try Self.expectEveryEntryOnce(slurmOut, entries: entries)
        // Nothing left behind: the pods' and tasks' resolver folders under TMPDIR, the merge's lock and
        // temporary files, the empty -wal/-shm of the read-only checks.
        let resolverDirs = try FileManager.default.contentsOfDirectory(atPath: world.directory.path)
            .filter { $0.hasPrefix("stsscan-resolver-") }
        #expect(resolverDirs.isEmpty, "\(resolverDirs)")
        let left = try FileManager.default.contentsOfDirectory(atPath: slurmOut)
            .filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") || $0.contains(".part") }
        #expect(left.isEmpty, "\(left)")
    }

    /// The shell in the files passes shellcheck (the Slurm scripts as bash, the Jobs' `args`
    /// as POSIX sh; word splitting of `STSSCAN_*_ARGS` and the shard list is intended).
    @Test func shellInTheFilesPassesShellcheck() throws {
        let slurm = ["scan-array.sh", "merge.sh", "submit.sh"].map { Self.deploy.appendingPathComponent("slurm/\($0)").path }
        let bash = try Self.runSync(["/usr/bin/env", "shellcheck"] + slurm, env: ProcessInfo.processInfo.environment)
        #expect(bash.status == 0, "\(bash.output)")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var scripts: [String] = []
        for name in ["indexed-job", "merge-job"] {
            let job = try Self.container(Self.deploy.appendingPathComponent("kubernetes/\(name).yaml"))
            #expect(Array(job.command.prefix(2)) == ["/bin/sh", "-c"] && job.command.count == 3)
            let path = scratch.appendingPathComponent("\(name).sh").path
            try Data(("#!/bin/sh\n" + (job.command.last ?? "")).utf8).write(to: URL(fileURLWithPath: path))
            scripts.append(path)
        }
        let sh = try Self.runSync(["/usr/bin/env", "shellcheck", "-s", "sh", "-e", "SC2086"] + scripts,
                                  env: ProcessInfo.processInfo.environment)
        #expect(sh.status == 0, "\(sh.output)")
    }

    /// The environment that maps the files' paths and resolver onto the world: the list,
    /// the output directory, a listen address in the test's block, Unbound forwarding to
    /// the world's dnsdist, the world's CA, and `stsscan` first on PATH.
    static func mapped(_ world: TestWorld, out: String) throws -> [String: String] {
        [
            "PATH": try StsscanBinary.url().deletingLastPathComponent().path + ":"
                + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "STSSCAN_SHARDS": String(shards),
            "STSSCAN_LIST": world.domainsPath,
            "STSSCAN_OUT": out,
            "STSSCAN_RESOLVER": "",
            "STSSCAN_RESOLVER_LISTEN": "127.147.0.153:5300",
            "STSSCAN_RESOLVER_ARGS": "--forward \(world.manifest.dns.dnsdist)",
            "STSSCAN_SCAN_ARGS": "--quiet --ca-file \(world.directory.appendingPathComponent(world.manifest.caFile).path)",
            "TMPDIR": world.directory.path,
        ]
    }

    /// The merged scan has one row per list entry, and its JSON lines one line per row.
    static func expectEveryEntryOnce(_ out: String, entries: Int) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: out + "/survey.sqlite", configuration: configuration)
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, count(DISTINCT position) AS d, min(position) AS lo, max(position) AS hi,
                       (SELECT count(*) FROM scans) AS scans
                FROM domain_results WHERE scan_id = (SELECT max(id) FROM scans)
                """)!
        }
        #expect(row["n"] as Int == entries && row["d"] as Int == entries, "\(row)")
        #expect(row["lo"] as Int == 0 && row["hi"] as Int == entries - 1)
        let lines = try String(contentsOfFile: out + "/survey.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == entries)
    }

    struct Container {
        let spec: [String: Any]
        let command: [String]
        let env: [String: String]
    }

    /// The Job's spec, its container's command + args and env, read by python3's YAML parser.
    static func container(_ file: URL) throws -> Container {
        let reader = """
            import json, sys, yaml
            job = yaml.safe_load(open(sys.argv[1]))
            c = job["spec"]["template"]["spec"]["containers"][0]
            spec = {k: v for k, v in job["spec"].items() if k != "template"}
            print(json.dumps({"spec": spec, "command": c["command"] + c.get("args", []),
                              "env": {e["name"]: e.get("value", "") for e in c.get("env", [])}}))
            """
        let run = try Self.runSync(["/usr/bin/env", "python3", "-c", reader, file.path], env: ProcessInfo.processInfo.environment)
        guard run.status == 0, let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
              let command = object["command"] as? [String], let env = object["env"] as? [String: String],
              let spec = object["spec"] as? [String: Any] else {
            throw TestWorld.Failure("cannot read \(file.path) (python3 with PyYAML: scripts/deps.sh): \(run.output)")
        }
        return Container(spec: spec, command: command, env: env)
    }

    static func run(_ command: [String], env: [String: String]) async throws -> (status: Int32, output: String) {
        try await Blocking.run { try runSync(command, env: env) }
    }

    /// Runs `command` with exactly `env` (plus HOME), output (both streams) through a file.
    static func runSync(_ command: [String], env: [String: String]) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-deploy-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var environment = env
        environment["HOME"] = environment["HOME"] ?? ProcessInfo.processInfo.environment["HOME"]
        if environment["PATH"] == nil { environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
