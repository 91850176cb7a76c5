import ArgumentParser
import Foundation
import STSCore

/// The entry point, replacing ArgumentParser's default `main`: usage errors (unknown
/// options, missing arguments, failed `validate()`) exit with status 2, as issue 2 asks of
/// `lint`, instead of ArgumentParser's EX_USAGE (64); an unknown option is named first (not
/// hidden behind "missing --db"); every message starts with `stsscan:` (ArgumentParser says
/// `Error:`). It applies to every subcommand. Error text can echo user input, so control
/// characters are escaped.
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
            let code = exitCode(for: error)
            if code == .validationFailure {
                var message = prefixed(fullMessage(for: error))
                if let unknown = unknownOptions(CommandLine.arguments.dropFirst().map { $0 }), !unknown.isEmpty {
                    // The unknown option is the mistake; what it left "missing" follows from it.
                    let usage = message.split(separator: "\n", omittingEmptySubsequences: false)
                        .drop(while: { !$0.hasPrefix("Usage:") })
                    message = (unknown + usage.map(String.init)).joined(separator: "\n")
                }
                write(message)
                Foundation.exit(2)
            }
            // Help and --version print to standard output; an ExitCode carries no message.
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { write(prefixed(message)) }
            Foundation.exit(code.rawValue)
        }
    }

    /// The tool's one prefix for messages, in place of ArgumentParser's `Error: `.
    static func prefixed(_ message: String) -> String {
        message.hasPrefix("Error: ") ? "stsscan: " + message.dropFirst("Error: ".count) : message
    }

    private static func write(_ message: String) {
        let text = message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { DetailText.escapeForTerminal($0) }.joined(separator: "\n")
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// "stsscan: unknown option '--database' (did you mean --db?)" for each `--name` of
    /// `arguments` that the subcommand they address does not know (its help lists every option).
    static func unknownOptions(_ arguments: [String]) -> [String]? {
        var command: ParsableCommand.Type = Stsscan.self
        var rest = arguments[...]
        while let first = rest.first, let sub = command.configuration.subcommands.first(where: { $0._commandName == first }) {
            command = sub
            rest = rest.dropFirst()
        }
        let help = helpMessage(for: command, includeHidden: true, columns: 1000)
        let separators: Set<Character> = [" ", ",", "\n", "[", "]", "(", ")"]
        var known: Set<String> = []
        for word in help.split(whereSeparator: { separators.contains($0) }) where word.hasPrefix("--") {
            known.insert(String(word.prefix(while: { $0 != "=" && $0 != "<" })))
        }
        var messages: [String] = []
        for word in rest.prefix(while: { $0 != "--" }) where word.hasPrefix("--") && word.count > 2 {
            let name = String(word.prefix(while: { $0 != "=" }))
            guard !known.contains(name), name != "--help", name != "--version" else { continue }
            let close = Closest.match(String(name.dropFirst(2)), in: known.map { String($0.dropFirst(2)) })
            messages.append("stsscan: unknown option '\(name)'" + (close.map { " (did you mean --\($0)?)" } ?? ""))
        }
        return messages
    }
}

/// The closest word to a mistyped one (`databse` -> `db`), for "did you mean".
enum Closest {
    /// The choice that begins with the word or the word begins with, else the one within a
    /// third of the word's length in edits (at least 2); nil when none is close.
    static func match(_ word: String, in choices: [String]) -> String? {
        let lower = word.lowercased()
        let sorted = choices.sorted()
        if let prefixed = sorted.first(where: { !lower.isEmpty && ($0.hasPrefix(lower) || lower.hasPrefix($0)) }) { return prefixed }
        // An abbreviation: `db` for `database` (same first letter, its letters in order).
        if let short = sorted.first(where: { $0.count <= 3 && $0.first == lower.first && isSubsequence($0, of: lower) }) {
            return short
        }
        let scored = sorted.map { ($0, distance(Array(lower), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, lower.count / 3) else { return nil }
        return best.0
    }

    static func isSubsequence(_ short: String, of long: String) -> Bool {
        var rest = long[...]
        for character in short {
            guard let index = rest.firstIndex(of: character) else { return false }
            rest = rest[rest.index(after: index)...]
        }
        return true
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
