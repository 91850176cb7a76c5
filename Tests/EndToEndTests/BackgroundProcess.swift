import Foundation

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
