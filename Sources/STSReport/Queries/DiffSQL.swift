/// The SQL of `stsscan diff`: two scans compared domain by domain. `setup(toSchema:)` first
/// builds temporary tables, each scan reduced to one row per domain (`diff_a`, `diff_b`;
/// a domain listed twice counts once, its first entry), their join (`diff_pairs`) and the
/// transitions of the pairs (`diff_transitions`, `TransitionSQL`), so the
/// sections below read small tables instead of re-sorting both scans each (1M domains: seconds,
/// not a minute). `:from_scan` and `:to_scan` are scan ids; `{to}` is the schema of the second
/// scan (`main`, or `other` for a second database attached under that name).
public enum DiffSQL {
    /// The statements that build the temporary tables, in order.
    public static func setup(toSchema to: String) -> [String] {
        [
            "CREATE TEMP TABLE diff_a AS " + TransitionSQL.perScan(schema: "main", scan: ":from_scan"),
            "CREATE TEMP TABLE diff_b AS " + TransitionSQL.perScan(schema: to, scan: ":to_scan"),
            "CREATE INDEX temp.diff_b_domain ON diff_b(domain)",
            "CREATE TEMP TABLE diff_pairs AS WITH a AS (SELECT * FROM diff_a), b AS (SELECT * FROM diff_b)\n"
                + TransitionSQL.pairs(fromSchema: "main", toSchema: to, fromScan: ":from_scan", toScan: ":to_scan"),
            "CREATE TEMP TABLE diff_transitions AS WITH j AS (SELECT * FROM diff_pairs)\n" + TransitionSQL.classify,
        ]
    }

    /// Drops what `setup` made, so the connection can run another diff.
    public static let teardown = [
        "DROP TABLE IF EXISTS temp.diff_transitions", "DROP TABLE IF EXISTS temp.diff_pairs",
        "DROP TABLE IF EXISTS temp.diff_b", "DROP TABLE IF EXISTS temp.diff_a",
    ]

    /// Every section of the diff, in the order printed (they read the temporary tables).
    /// Every change is a transition (docs/transitions.md): one vocabulary, one set of counts.
    public static let sections: [ReportSectionSpec] = [summary, stateMatrix, transitionCounts, transitions]

    /// Short names used by the sections below.
    static let prelude = """
        WITH a AS (SELECT * FROM diff_a), b AS (SELECT * FROM diff_b), j AS (SELECT * FROM diff_pairs)

        """

    static let summary = ReportSectionSpec(
        id: "summary", title: "Domains compared",
        description: "The domains of each scan, and of those in both: how many the transitions below could judge (a DNS timeout or SERVFAIL, or a fetch timeout, in either scan decides nothing) and how many made one.",
        sql: prelude + """
            SELECT 'in the first scan' AS domains, (SELECT count(*) FROM a) AS count
            UNION ALL SELECT 'in the second scan', (SELECT count(*) FROM b)
            UNION ALL SELECT 'only in the first scan', (SELECT count(*) FROM a) - (SELECT count(*) FROM j)
            UNION ALL SELECT 'only in the second scan', (SELECT count(*) FROM b) - (SELECT count(*) FROM j)
            UNION ALL SELECT 'in both', (SELECT count(*) FROM j)
            UNION ALL SELECT 'in both, undecided in either scan', (SELECT count(*) FROM j WHERE state_from IS NULL OR state_to IS NULL)
            UNION ALL SELECT 'in both, with a transition', (SELECT count(DISTINCT domain) FROM diff_transitions)
            """)

    /// The before -> after table of a paper: every domain in both scans counted once, by its
    /// state in each (`TransitionSQL.policyState`); the diagonal is what did not change.
    static let stateMatrix = ReportSectionSpec(
        id: "state_matrix", title: "Before and after",
        description: "Every domain in both scans once, by its deployment in the first scan (rows, before) and in the second (columns): a valid policy's mode (enforce, testing, none), failing (an _mta-sts record whose record or policy fails), absent (no _mta-sts record), undecided (a DNS timeout or SERVFAIL, or a fetch timeout: the measurement decided nothing). The diagonal did not change; total counts the row.",
        sql: """
            WITH s(n, state) AS (VALUES (1, 'enforce'), (2, 'testing'), (3, 'none'), (4, 'failing'), (5, 'absent'),
                                        (6, 'undecided')),
            p AS (SELECT \(TransitionSQL.policyState(state: "state_from", mode: "mode_from")) AS before,
                         \(TransitionSQL.policyState(state: "state_to", mode: "mode_to")) AS after
                  FROM diff_pairs)
            SELECT s.state AS before, coalesce(sum(p.after = 'enforce'), 0) AS enforce,
                   coalesce(sum(p.after = 'testing'), 0) AS testing, coalesce(sum(p.after = 'none'), 0) AS none,
                   coalesce(sum(p.after = 'failing'), 0) AS failing, coalesce(sum(p.after = 'absent'), 0) AS absent,
                   coalesce(sum(p.after = 'undecided'), 0) AS undecided, count(p.before) AS total
            FROM s LEFT JOIN p ON p.before = s.state
            GROUP BY s.n ORDER BY s.n
            """)

    // MARK: transitions (issue 12; docs/transitions.md)

    static let transitionCounts = ReportSectionSpec(
        id: "transition_counts", title: "Transitions",
        description: "Domains in both scans per kind of transition (docs/transitions.md); a domain can make several.",
        sql: "WITH t AS (SELECT * FROM diff_transitions)\n" + TransitionSQL.counts,
        chart: ReportChart(label: "kind", value: "domains", metric: "domains (count)", scale: .auto))

    /// `detail`: the stored detail of the primary error named in `before` (dropped,
    /// policy-fixed) or `after` (adopted, policy-broken): the address refused, the records
    /// found, the X509 error.
    static let transitions = ReportSectionSpec(
        id: "transitions", title: "Transitions by domain",
        description: "Every transition: the kind, and what it was before and is after (a state is absent, working or the primary error code), with the error's detail. Domains whose measurement did not decide (DNS timeout or SERVFAIL, fetch timeout) in either scan make none.",
        sql: """
            SELECT t.domain, t.kind, t.before, t.after,
                   CASE WHEN t.kind IN ('adopted', 'policy-broken') THEN p.detail_to
                        WHEN t.kind IN ('dropped', 'policy-fixed') THEN p.detail_from END AS detail
            FROM diff_transitions t JOIN diff_pairs p ON p.domain = t.domain
            ORDER BY t.k, t.domain
            """)
}
