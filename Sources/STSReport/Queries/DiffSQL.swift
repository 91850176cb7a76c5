/// The SQL of `stsscan diff`: two scans compared domain by domain. `setup(toSchema:)` first
/// builds temporary tables, each scan reduced to one row per domain (`diff_a`, `diff_b`;
/// a domain listed twice counts once, its first entry), their join (`diff_pairs`) and the
/// transitions of the pairs (`diff_transitions`, `TransitionSQL`), so the
/// sections below read small tables instead of re-sorting both scans each (1M domains: seconds,
/// not a minute). `:from_scan` and `:to_scan` are scan ids; `{to}` is the schema of the second
/// scan (`main`, or `other` for a second database attached under that name). A deployment is
/// a usable STSv1 record (`sts_record = 'valid'`); broken means a primary error (`error_code`).
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
    public static let sections: [ReportSectionSpec] = [
        summary, transitionCounts, transitions, newDeployments, lostDeployments, modeChanges, maxAgeChanges, deliveryChanges, newlyBroken, newlyFixed,
    ]

    /// Short names used by the sections below.
    static let prelude = """
        WITH a AS (SELECT * FROM diff_a), b AS (SELECT * FROM diff_b), j AS (SELECT * FROM diff_pairs)

        """

    static let summary = ReportSectionSpec(
        id: "summary", title: "Changes between the scans",
        description: "Counts of each kind of change; the sections below list the domains.",
        sql: prelude + """
            SELECT 'domains in the first scan' AS change, (SELECT count(*) FROM a) AS domains
            UNION ALL SELECT 'domains in the second scan', (SELECT count(*) FROM b)
            UNION ALL SELECT 'domains in both', (SELECT count(*) FROM j)
            UNION ALL SELECT 'new deployments', (SELECT count(*) FROM j WHERE sts_from != 'valid' AND sts_to = 'valid')
            UNION ALL SELECT 'lost deployments', (SELECT count(*) FROM j WHERE sts_from = 'valid' AND sts_to != 'valid')
            UNION ALL SELECT 'mode changes', (SELECT count(*) FROM j WHERE mode_from != mode_to)
            UNION ALL SELECT 'max_age changes', (SELECT count(*) FROM j WHERE max_age_from != max_age_to)
            UNION ALL SELECT 'delivery verdict changes', (SELECT count(*) FROM j WHERE delivery_from IS NOT delivery_to)
            UNION ALL SELECT 'newly broken', (SELECT count(*) FROM j WHERE error_from IS NULL AND error_to IS NOT NULL)
            UNION ALL SELECT 'newly fixed', (SELECT count(*) FROM j WHERE error_from IS NOT NULL AND error_to IS NULL)
            """,
        chart: ReportChart(label: "change", value: "domains", metric: "domains (count)", scale: .log))

    // MARK: transitions (issue 12; docs/transitions.md)

    static let transitionCounts = ReportSectionSpec(
        id: "transition_counts", title: "Transitions",
        description: "Domains in both scans per kind of transition (docs/transitions.md); a domain can make several.",
        sql: "WITH t AS (SELECT * FROM diff_transitions)\n" + TransitionSQL.counts)

    static let transitions = ReportSectionSpec(
        id: "transitions", title: "Transitions by domain",
        description: "Every transition: the kind, and what it was before and is after (a state is absent, working or the primary error code). Domains whose measurement did not decide (DNS timeout or SERVFAIL, fetch timeout) in either scan make none.",
        sql: "SELECT domain, kind, before, after FROM diff_transitions ORDER BY k, domain")

    static let newDeployments = ReportSectionSpec(
        id: "new_deployments", title: "New deployments",
        description: "Domains in both scans whose usable STSv1 record appeared.",
        sql: prelude + """
            SELECT domain, sts_from, sts_to, policy_to, mode_to FROM j
            WHERE sts_from != 'valid' AND sts_to = 'valid' ORDER BY domain
            """)

    static let lostDeployments = ReportSectionSpec(
        id: "lost_deployments", title: "Lost deployments",
        description: "Domains in both scans whose usable STSv1 record went away (removed, broken, or unanswered).",
        sql: prelude + """
            SELECT domain, sts_from, sts_to, error_to, detail_to FROM j
            WHERE sts_from = 'valid' AND sts_to != 'valid' ORDER BY domain
            """)

    static let modeChanges = ReportSectionSpec(
        id: "mode_changes", title: "Mode changes",
        description: "Policies whose mode changed (testing -> enforce ...).",
        sql: prelude + """
            SELECT domain, mode_from, mode_to FROM j WHERE mode_from != mode_to ORDER BY mode_from, mode_to, domain
            """)

    static let maxAgeChanges = ReportSectionSpec(
        id: "max_age_changes", title: "max_age changes",
        description: "Policies whose max_age changed, in seconds.",
        sql: prelude + """
            SELECT domain, max_age_from, max_age_to, max_age_to - max_age_from AS delta FROM j
            WHERE max_age_from != max_age_to ORDER BY domain
            """)

    static let deliveryChanges = ReportSectionSpec(
        id: "delivery_changes", title: "Delivery verdict changes",
        description: "Domains whose delivery verdict (ok, degraded, fails; empty when not probed) changed, with the mode then and now.",
        sql: prelude + """
            SELECT domain, mode_from, delivery_from, mode_to, delivery_to, error_to FROM j
            WHERE delivery_from IS NOT delivery_to
            ORDER BY coalesce(delivery_to, '') = 'ok', delivery_to, domain
            """)

    static let newlyBroken = ReportSectionSpec(
        id: "newly_broken", title: "Newly broken",
        description: "Domains without a primary error in the first scan and with one in the second.",
        sql: prelude + """
            SELECT domain, error_to, detail_to FROM j
            WHERE error_from IS NULL AND error_to IS NOT NULL ORDER BY error_to, domain
            """)

    static let newlyFixed = ReportSectionSpec(
        id: "newly_fixed", title: "Newly fixed",
        description: "Domains with a primary error in the first scan and none in the second.",
        sql: prelude + """
            SELECT domain, error_from, detail_from FROM j
            WHERE error_from IS NOT NULL AND error_to IS NULL ORDER BY error_from, domain
            """)
}
