import ArgumentParser
import Foundation
import STSCore

/// The entry point, replacing ArgumentParser's default `main` for one reason: usage errors
/// (unknown options, missing arguments, failed `validate()`) exit with status 2, as issue 2
/// asks of `lint`, instead of ArgumentParser's EX_USAGE (64). It applies to every
/// subcommand. Error text can echo user input, so control characters are escaped.
extension Stsscan {
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                    .split(separator: "\n", omittingEmptySubsequences: false)
                    .map { DetailText.escapeForTerminal($0) }
                    .joined(separator: "\n")
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
