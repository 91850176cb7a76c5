import Foundation
import GRDB
import STSReport
import Testing

/// `mx_provider_adoption` cuts the primary MX host at its registrable domain by the Public
/// Suffix List: UK providers are not "co.uk", wildcard and exception rules hold, a host
/// under the domain itself is self-hosted. Runs the section's SQL on hand-made tables.
@Suite struct MXProviderTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: PublicSuffixes.defaultPath),
                   "Debian's publicsuffix package is not installed (scripts/deps.sh installs it)"))
    func providersAreRegistrableDomains() throws {
        let queue = try DatabaseQueue()
        let rows: [(Int, String, [(Int, String)], String?)] = [
            (0, "d0.com", [(10, "mx.provider.co.uk")], "valid"),
            (1, "d1.com", [(10, "mail.d1.com")], nil),
            (2, "d2.com", [(10, "mx.shop.x.kawasaki.jp")], nil),
            (3, "d3.com", [(10, "mx.city.kawasaki.jp")], nil),
            (4, "d4.com", [(10, "ASPMX.L.GOOGLE.COM.")], "valid"),
            (5, "d5.com", [(20, "mx.second.net"), (10, "mx.first.org")], nil),
            (6, "d6.com", [(10, "mx2.provider.co.uk")], nil),
        ]
        let table = try queue.write { db -> [String: [DatabaseValue]] in
            try db.execute(sql: """
                CREATE TABLE results (scan_id INTEGER, position INTEGER, domain TEXT, policy_status TEXT, mode TEXT);
                CREATE TABLE mx_hosts (scan_id INTEGER, position INTEGER, seq INTEGER, preference INTEGER, host TEXT);
                """)
            for (position, domain, hosts, status) in rows {
                try db.execute(sql: "INSERT INTO results VALUES (1, ?, ?, ?, 'enforce')", arguments: [position, domain, status])
                for (seq, host) in hosts.enumerated() {
                    try db.execute(sql: "INSERT INTO mx_hosts VALUES (1, ?, ?, ?, ?)", arguments: [position, seq, host.0, host.1])
                }
            }
            try PublicSuffixes.load(db)
            var out: [String: [DatabaseValue]] = [:]
            for row in try Row.fetchAll(db, sql: ReportSQL.mxProviderAdoption.sql, arguments: ["scan_id": 1]) {
                out[row["provider"]] = Array(row.databaseValues.dropFirst())
            }
            return out
        }
        #expect(Set(table.keys) == ["provider.co.uk", "self-hosted", "shop.x.kawasaki.jp", "city.kawasaki.jp",
                                    "google.com", "first.org"])
        #expect(table["provider.co.uk"]?.prefix(2) == [2.databaseValue, 1.databaseValue])  // domains, valid_policy
        #expect(table["google.com"]?.prefix(2) == [1.databaseValue, 1.databaseValue])
    }
}
