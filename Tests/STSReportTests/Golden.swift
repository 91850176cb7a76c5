import Foundation
import Testing

/// Golden files under Tests/STSReportTests/Golden/. Regenerate after an intended change with
/// `STSSCAN_UPDATE_GOLDEN=1 swift test --filter STSReportTests`, then review `git diff`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["STSSCAN_UPDATE_GOLDEN"] == "1" }

    static func check(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if updating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("actual-" + name)
            try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
            let message = "\(name) differs from its golden file; actual output: \(actualURL.path) "
                + "(STSSCAN_UPDATE_GOLDEN=1 regenerates)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }
}
