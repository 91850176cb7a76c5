import Foundation

/// Finds and runs the built `stsscan` executable for end-to-end tests.
///
/// The binary is taken from the environment variable `STSSCAN_BIN` when set, else from the
/// build products directory that holds this test bundle (`swift build` / `swift test` put
/// `stsscan` next to `stsscanPackageTests.xctest`).
enum StsscanBinary {
    /// A finished run of the binary.
    struct Run: Sendable {
        let status: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The repository root (for `datasets/`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["STSSCAN_BIN"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw Missing(description: "STSSCAN_BIN=\(path) is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        #if os(Linux)
        // The test runner is the .xctest executable itself.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        #endif
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL)
        for directory in candidates {
            let binary = directory.appendingPathComponent("stsscan")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw Missing(description: """
            stsscan binary not found next to the test bundle (looked in \
            \(candidates.map(\.path).joined(separator: ", "))). Build it first \
            (`swift build`, then `swift test`), or set STSSCAN_BIN to its path.
            """)
    }

    /// Runs `stsscan arguments...`, optionally feeding `stdin`; output goes through files,
    /// so large outputs cannot deadlock on a full pipe.
    /// `launcher`: a command that runs the binary (`["/usr/bin/setpriv", ...]`), or none.
    static func run(_ arguments: [String], stdin: [UInt8]? = nil, launcher: [String] = []) throws -> Run {
        let binary = try url()
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("stsscan-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(stdin ?? []))

        let process = Process()
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: Array(try Data(contentsOf: outURL)),
                   stderr: Array(try Data(contentsOf: errURL)))
    }

    /// `run` for async tests, off the cooperative pool (`Blocking`).
    static func runBlocking(_ arguments: [String], launcher: [String] = []) async throws -> Run {
        try await Blocking.run { try run(arguments, launcher: launcher) }
    }

    /// Writes `bytes` to a temporary file and returns its path (caller removes it).
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stsscan-e2e-\(UUID().uuidString).txt")
        try Data(bytes).write(to: url)
        return url.path
    }
}
