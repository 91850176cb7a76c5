import Foundation
import GRDB
import STSCore

/// The Public Suffix List (Debian's `publicsuffix` package) as the temporary table
/// `public_suffix(suffix, rule)` that `ReportSQL.mxProviderAdoption` reads to cut MX host
/// names at their registrable domain (`mx.provider.co.uk` -> `provider.co.uk`, not `co.uk`).
/// `rule` is 0 for a plain rule, 1 for a wildcard (`*.ck` stored as `ck`), 2 for an
/// exception (`!www.ck` stored as `www.ck`); suffixes are A-labels. The notebook loads the
/// same table with `NotebookRenderer.publicSuffixLoader` (Python).
public enum PublicSuffixes {
    /// Where Debian installs the list.
    public static let defaultPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    static let create = """
        CREATE TEMP TABLE IF NOT EXISTS public_suffix (suffix TEXT NOT NULL, rule INTEGER NOT NULL,
                                                       PRIMARY KEY (suffix, rule)) WITHOUT ROWID
        """

    /// The rules of a list's text: first word of each line, comments and blanks skipped.
    public static func rules(_ text: String) -> Set<Rule> {
        var rules = Set<Rule>()
        for line in text.split(whereSeparator: \.isNewline) {
            guard let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
                  !word.hasPrefix("//") else { continue }
            var name = String(word), kind = 0
            if name.hasPrefix("!") { kind = 2; name.removeFirst() } else if name.hasPrefix("*.") { kind = 1; name.removeFirst(2) }
            guard let ascii = IDNA.toASCII(name) else { continue }
            rules.insert(Rule(suffix: ascii, kind: kind))
        }
        return rules
    }

    /// One rule of the list.
    public struct Rule: Hashable, Sendable {
        public let suffix: String
        public let kind: Int
    }

    /// Creates and fills `temp.public_suffix` on `db` (a read-only connection may write
    /// the temp schema). A missing list leaves the table empty: every name is then cut at
    /// its last two labels (the list's default rule).
    public static func load(_ db: Database, path: String = defaultPath) throws {
        try db.execute(sql: create)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO public_suffix (suffix, rule) VALUES (?, ?)")
        for rule in rules(text) {
            try statement.execute(arguments: [rule.suffix, rule.kind])
        }
    }

    static func drop(_ db: Database) {
        try? db.execute(sql: "DROP TABLE IF EXISTS temp.public_suffix")
    }
}
