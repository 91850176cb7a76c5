import Foundation
import GRDB
import STSWorld
import Testing

/// deploy/slurm on a real scheduler (issue 24): a private one-node Slurm
/// (`scripts/private-slurm.sh`: munged, slurmctld and slurmd with key, state and spool in a
/// temporary folder, on loopback, stopped by pid) runs `submit.sh` with four shards against a
/// world. One task's scan is killed with SIGKILL mid-run and another task is cancelled with
/// `scancel`; the merge then ends naming both shards, the documented recovery (`submit.sh`
/// once more) queues just those two and a merge, and the merged survey equals an unsharded
/// scan table by table. World on address block 236.
@Suite(.serialized, .enabled(if: PrivateSlurm.available,
                             "needs root and the apt packages slurm-wlm munge nsd dnsdist nginx-light libnginx-mod-http-echo unbound postfix: apt-get install slurm-wlm munge (or scripts/deps.sh)"))
struct SlurmEndToEndTests {
    static let slurmDir = StsscanBinary.repositoryRoot.appendingPathComponent("deploy/slurm")
    /// Slower than the world allows, so the kill and the cancel land while the scans run;
    /// the same options for every shard and the reference scan (merge and the comparison want them).
    static let scanOptions = ["--quiet", "--rate", "300"]

    @Test func killedAndCancelledTasksAreRecoveredByRunningSubmitAgain() async throws {
        let world = try await TestWorld.started(domains: 2000, adoption: 0.3, seed: 2360, addressBlock: 236)
        defer { world.stop() }
        let slurm = try await PrivateSlurm.started()
        defer { slurm.stop() }
        let dir = world.directory
        let out = dir.appendingPathComponent("out").path
        let logs = dir.appendingPathComponent("logs").path
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let ca = dir.appendingPathComponent(world.manifest.caFile).path
        let resolver = world.manifest.dns.dnsdist  // as ShardEndToEndTests: answers comparable row by row

        // The unsharded reference scan runs meanwhile (rate-limited, it needs little CPU).
        let whole = dir.appendingPathComponent("whole.sqlite").path
        let reference = try BackgroundStsscan(["scan", world.domainsPath, "--db", whole, "--resolver", resolver,
                                               "--ehlo-name", "scanner.example.org", "--ca-file", ca] + Self.scanOptions)

        let env = try slurm.environment.merging([
            "STSSCAN_SHARDS": "4",
            "STSSCAN_LIST": world.domainsPath,
            "STSSCAN_OUT": out,
            "STSSCAN_EHLO_NAME": "scanner.example.org",
            "STSSCAN_RESOLVER": resolver,
            "STSSCAN_SCAN_ARGS": (Self.scanOptions + ["--ca-file", ca]).joined(separator: " "),
            // Two one-core tasks at a time on the two-core node; logs in their own folder.
            "STSSCAN_SBATCH_ARGS": "--cpus-per-task=1 --mem=256M --chdir=\(logs)",
            "TMPDIR": dir.path,
        ]) { $1 }
        let submit = ["/bin/bash", Self.slurmDir.appendingPathComponent("submit.sh").path]

        let first = try await DeployEndToEndTests.run(submit, env: env)
        #expect(first.status == 0, "submit.sh: \(first.output)")
        let (array, shards, merge) = try Self.jobs(first.output)
        #expect(shards == "0,1,2,3", "\(first.output)")

        // Shard 1: its scan killed (a crash, the OOM killer); shard 2: its task cancelled.
        let scan1 = try await Self.scanProcess(db: "\(out)/shard-1-of-4.sqlite")
        try await Task.sleep(for: .seconds(1))
        #expect(kill(scan1, 0) == 0, "shard 1's scan ended before the kill")
        kill(scan1, SIGKILL)
        _ = try await Self.scanProcess(db: "\(out)/shard-2-of-4.sqlite")
        try await Task.sleep(for: .seconds(1))
        let cancel = try await slurm.run(["scancel", "\(array ?? 0)_2"])
        #expect(cancel.status == 0, "\(cancel.output)")

        // The merge still runs (afterany), names both shards and merges nothing.
        let firstMerge = try await slurm.waitUntilEnded(job: merge)
        #expect(firstMerge == "FAILED")
        let mergeLog = (try? String(contentsOfFile: "\(logs)/stsscan-merge-\(merge).log", encoding: .utf8)) ?? ""
        #expect(mergeLog.contains("shards not finished: 1 (unfinished) 2 (unfinished) of 4"), "\(mergeLog)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/survey.sqlite"))

        // The recovery: the same command again queues the two shards (they resume) and a merge.
        let second = try await DeployEndToEndTests.run(submit, env: env)
        #expect(second.status == 0, "submit.sh again: \(second.output)")
        let (array2, shards2, merge2) = try Self.jobs(second.output)
        #expect(shards2 == "1,2", "\(second.output)")
        let secondMerge = try await slurm.waitUntilEnded(job: merge2)
        let mergeLog2 = (try? String(contentsOfFile: "\(logs)/stsscan-merge-\(merge2).log", encoding: .utf8)) ?? ""
        #expect(secondMerge == "COMPLETED", "\(mergeLog2)")
        // Each submission's task logs its own file: the killed attempt's log is still there.
        let killedLog = (try? String(contentsOfFile: "\(logs)/stsscan-shard-\(array ?? 0)_1.log", encoding: .utf8)) ?? ""
        #expect(killedLog.contains("Killed"), "\(killedLog)")
        #expect(FileManager.default.fileExists(atPath: "\(logs)/stsscan-shard-\(array2 ?? 0)_1.log"))

        let (status, output) = try await reference.wait()
        #expect(status == 0, "reference scan: \(output)")
        try ShardEndToEndTests().expectEqualScans("\(out)/survey.sqlite", whole, world: world)
        let entries = try world.truth().count
        try DeployEndToEndTests.expectEveryEntryOnce(out, entries: entries)
        let left = try FileManager.default.contentsOfDirectory(atPath: out)
            .filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") || $0.contains(".part") }
        #expect(left.isEmpty, "left in STSSCAN_OUT: \(left)")

        // Once more after the merge: nothing to scan; the survey is recognised by what it holds.
        let third = try await DeployEndToEndTests.run(submit, env: env)
        #expect(third.status == 0 && third.output.contains("array none"), "\(third.output)")
        let (_, _, merge3) = try Self.jobs(third.output)
        #expect(try await slurm.waitUntilEnded(job: merge3) == "COMPLETED")
        let mergeLog3 = (try? String(contentsOfFile: "\(logs)/stsscan-merge-\(merge3).log", encoding: .utf8)) ?? ""
        #expect(mergeLog3.contains("already holds the merge of the 4 shards"), "\(mergeLog3)")
        let scans = try await world.database("\(out)/survey.sqlite").read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scans") }
        #expect(scans == 1)

        // An empty survey.sqlite (a copy that failed) is merged again, not taken for the survey.
        try Data().write(to: URL(fileURLWithPath: "\(out)/survey.sqlite"))
        let remerge = try await DeployEndToEndTests.run(["/bin/bash", Self.slurmDir.appendingPathComponent("merge.sh").path], env: env)
        #expect(remerge.status == 0 && remerge.output.contains("merging again"), "\(remerge.output)")
        try DeployEndToEndTests.expectEveryEntryOnce(out, entries: entries)
    }

    /// The array id (nil for "array none"), its shard list and the merge id that submit.sh printed.
    static func jobs(_ output: String) throws -> (array: Int?, shards: String, merge: Int) {
        let lines = output.split(separator: "\n").map(String.init)
        guard let arrayLine = lines.first(where: { $0.hasPrefix("array ") }),
              let mergeLine = lines.first(where: { $0.hasPrefix("merge ") }),
              let merge = Int(mergeLine.split(separator: " ")[1]) else {
            throw TestWorld.Failure("submit.sh printed no array and merge job ids: \(output)")
        }
        let words = arrayLine.split(separator: " ").map(String.init)
        let shards = arrayLine.firstRange(of: "(shards ").map { arrayLine[$0.upperBound...].split(separator: " ").first.map(String.init) ?? "" }
        return (Int(words[1]), shards ?? "", merge)
    }

    /// The pid of the `stsscan scan` writing `db` (found by its command line, which names the
    /// test's own file), once it runs; bounded.
    static func scanProcess(db: String, timeout: Duration = .seconds(120)) async throws -> pid_t {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = pid_t(entry),
                      let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
                let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if words.count > 1, words[0].hasSuffix("stsscan"), words[1] == "scan",
                   let at = words.firstIndex(of: "--db"), words.indices.contains(at + 1), words[at + 1] == db {
                    return pid
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestWorld.Failure("no scan of \(db) started within \(timeout)")
    }
}

/// A private one-node Slurm in a folder of its own, started and stopped by
/// `scripts/private-slurm.sh` (which `scripts/stop-leftovers.sh` also runs on such folders a
/// killed test left behind).
struct PrivateSlurm: Sendable {
    static let script = StsscanBinary.repositoryRoot.appendingPathComponent("scripts/private-slurm.sh").path
    let directory: String

    /// Root (SlurmUser=root), Debian's Slurm and munge, and the world's servers.
    static var available: Bool {
        getuid() == 0 && (try? WorldServers.checkInstalled()) != nil
            && ["munged", "slurmctld", "slurmd"].allSatisfy { FileManager.default.isExecutableFile(atPath: "/usr/sbin/\($0)") }
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/sbatch")
    }

    static func started() async throws -> PrivateSlurm {
        let slurm = PrivateSlurm(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("stsscan-slurm-\(UUID().uuidString)").path)
        let start = try await DeployEndToEndTests.run(["/bin/bash", script, "start", slurm.directory],
                                                      env: ProcessInfo.processInfo.environment)
        guard start.status == 0 else {
            slurm.stop()
            throw TestWorld.Failure("private Slurm did not start: \(start.output)")
        }
        return slurm
    }

    /// What Slurm commands and the jobs submitted by them need: the cluster's configuration,
    /// the marker by which `private-slurm.sh stop` finds job processes left behind, and
    /// `stsscan` first on PATH (jobs inherit the submitter's environment).
    var environment: [String: String] {
        get throws {
            [
                "SLURM_CONF": directory + "/slurm.conf",
                "STSSCAN_PRIVATE_SLURM": directory,
                "PATH": try StsscanBinary.url().deletingLastPathComponent().path + ":"
                    + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            ]
        }
    }

    func run(_ command: [String]) async throws -> (status: Int32, output: String) {
        try await DeployEndToEndTests.run(["/usr/bin/env"] + command, env: environment)
    }

    /// The job's state once it ended (COMPLETED, FAILED, CANCELLED ...); bounded.
    func waitUntilEnded(job: Int, timeout: Duration = .seconds(240)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var state = ""
        while ContinuousClock.now < deadline {
            let show = try await run(["scontrol", "show", "job", "-o", String(job)])
            state = show.output.split(separator: " ").first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst(9)) } ?? ""
            if !["", "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED"].contains(state) {
                return state
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let queue = try await run(["squeue", "-o", "%i %T %r"])
        throw TestWorld.Failure("job \(job) still \(state) after \(timeout); queue: \(queue.output)")
    }

    func stop() {
        _ = try? DeployEndToEndTests.runSync(["/bin/bash", Self.script, "stop", directory], env: ProcessInfo.processInfo.environment)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
