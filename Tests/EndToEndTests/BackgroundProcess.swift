import Foundation
import GRDB

/// The `stsscan` binary running in the background (for fault-injection tests), with its
/// output in files so a chatty run never blocks on a full pipe.
final class BackgroundStsscan {
    let process = Process()
    private let log: URL

    init(_ arguments: [String]) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-bg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = try StsscanBinary.url()
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the scan has stored at least `rows` entries in `database` (the moment a
    /// fault test strikes mid-scan, instead of a guess at how far a sleep gets), and returns
    /// the count seen. Throws when the process ends first or the deadline passes.
    @discardableResult
    func waitForRows(in database: String, atLeast rows: Int, timeout: Duration = .seconds(120)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var configuration = Configuration()
        configuration.readonly = true
        while true {
            // The file appears with the scan's first transaction; until then, nothing stored.
            let stored = (try? await DatabaseQueue(path: database, configuration: configuration).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM domain_results") ?? 0
            }) ?? 0
            if stored >= rows { return stored }
            guard process.isRunning else {
                throw TestWorld.Failure("stsscan ended (status \(process.terminationStatus)) with \(stored) rows stored, "
                                        + "before the \(rows) the test waits for")
            }
            guard ContinuousClock.now < deadline else {
                throw TestWorld.Failure("\(stored) rows stored after \(timeout), not \(rows)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the process to exit (bounded) and returns its status and output.
    func wait(timeout: Duration = .seconds(300)) async throws -> (Int32, String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw TestWorld.Failure("stsscan did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return (process.terminationStatus, output)
    }
}
