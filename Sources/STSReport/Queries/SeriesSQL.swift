/// The SQL of `stsscan report --series`: adoption over every scan of one database, one row
/// per scan in time order, for the longitudinal figures of a study that repeats its survey.
///
/// Which scans are points (`series_scans` lists every scan and says why one is left out):
/// - finished scans only: an unfinished scan covers the head of its list, whose rates differ;
/// - a shard scan (`scans.shard` set) is left out when the database also holds a finished
///   unsharded scan of the same list file (same `input_name` and `input_sha256`): the merged
///   scan counts its domains already. Alone, a shard is a hash sample of its list and a point;
/// - scans of different lists are points, marked in `list_change`: rates are comparable
///   across lists, counts are not.
///
/// Adoption is measured among domains with MX records (`mx_status = 'ok'`), the domains a
/// sender delivers to: a list's share of dead or mail-less names changes from list to list
/// and month to month, and would move a rate of the whole list without any change in MTA-STS.
public enum SeriesSQL {
    /// Every section of the series report, in the order printed: the figures first, then
    /// which scans they cover.
    public static let sections: [ReportSectionSpec] = [adoption, modes, modeTransitions, scans]

    /// The section ids, for `--section` and documentation.
    public static var sectionIDs: [String] { sections.map(\.id) }

    /// CTEs `scan_status` (every scan, with the merged scan a shard is counted in) and
    /// `series` (the scans that are points, in time order, with the list change since the
    /// previous point).
    static let seriesScans = """
        scan_status AS (
                SELECT s.id AS scan_id, s.started_at, s.finished_at, s.input_name, s.input_sha256, s.shard, s.domains_total,
                       CASE WHEN s.shard IS NOT NULL THEN
                           (SELECT min(m.id) FROM scans m WHERE m.shard IS NULL AND m.finished_at IS NOT NULL
                                AND m.input_name = s.input_name AND m.input_sha256 IS s.input_sha256) END AS merged_into
                FROM scans s),
            series AS (
                SELECT scan_id, started_at, input_name, shard, domains_total,
                       CASE WHEN lag(scan_id) OVER w IS NULL THEN 'first point'
                            WHEN input_name IS NOT lag(input_name) OVER w THEN 'different list'
                            WHEN shard IS NOT lag(shard) OVER w THEN 'different shard'
                            WHEN input_sha256 IS NOT lag(input_sha256) OVER w
                              OR domains_total IS NOT lag(domains_total) OVER w THEN 'list content changed'
                            ELSE 'same list'
                       END AS list_change
                FROM scan_status WHERE finished_at IS NOT NULL AND merged_into IS NULL
                WINDOW w AS (ORDER BY started_at, scan_id))
        """

    /// Per scan of the series, domains counted by the status columns: grouped in the order of
    /// the `domain_results_status` index, so the count is an index-only scan with no sort.
    static let statusCounts = """
        g AS (SELECT scan_id, mx_status, sts_record, policy_status, mode, tlsrpt_record, count(*) AS n
                  FROM results WHERE scan_id IN (SELECT scan_id FROM series)
                  GROUP BY scan_id, mx_status, sts_record, policy_status, mode, tlsrpt_record),
            c AS (SELECT scan_id, sum(n) AS scanned,
                         sum(n * (mx_status = 'ok')) AS with_mx,
                         sum(n * (mx_status = 'ok' AND sts_record IN ('valid', 'invalid'))) AS sts_record,
                         sum(n * (mx_status = 'ok' AND policy_status IS 'valid')) AS valid_policy,
                         sum(n * (mx_status = 'ok' AND policy_status IS 'valid' AND mode IS 'enforce')) AS enforce,
                         sum(n * (mx_status = 'ok' AND policy_status IS 'valid' AND mode IS 'testing')) AS testing,
                         sum(n * (mx_status = 'ok' AND policy_status IS 'valid' AND mode IS 'none')) AS none,
                         sum(n * (mx_status = 'ok' AND tlsrpt_record = 'valid')) AS tlsrpt_valid
                  FROM g GROUP BY scan_id)
        """

    public static let scans = ReportSectionSpec(
        id: "series_scans", title: "Scans in the series",
        description: "Every scan of the database in time order, and whether it is a point of the series (in_series): unfinished scans are left out (they cover only the head of their list), and so is a shard scan (shard K/N) when the database holds a finished unsharded scan of the same list file (same input_name and input_sha256), which counts its domains already. list_change compares a point with the previous point: first point, same list, different list, different shard, or list content changed (same name, other SHA-256 or size); not a point for scans left out. Rates compare across lists; counts do not.",
        sql: """
            WITH \(seriesScans)
            SELECT a.scan_id, a.started_at, a.finished_at, a.input_name, a.shard, a.domains_total,
                   (SELECT count(*) FROM results r WHERE r.scan_id = a.scan_id) AS rows_stored,
                   CASE WHEN a.finished_at IS NULL THEN 'no: unfinished'
                        WHEN a.merged_into IS NOT NULL THEN 'no: shard, counted in whole-list scan ' || a.merged_into
                        ELSE 'yes' END AS in_series,
                   coalesce(s.list_change, 'not a point') AS list_change
            FROM scan_status a LEFT JOIN series s ON s.scan_id = a.scan_id
            ORDER BY a.started_at, a.scan_id
            """)

    public static let adoption = ReportSectionSpec(
        id: "series_adoption", title: "Adoption over time",
        description: "One row per scan of the series (started_at: when it started, UTC; the charts place each scan at that time). domains_scanned counts the list entries stored; with_mx those whose MX lookup returned MX records. sts_record (an _mta-sts TXT record, valid or not), valid_policy and tlsrpt_valid (a valid _smtp._tls record) count domains with MX, and the *_pct_of_mx columns divide them by with_mx: the rates to compare across scans, also when the list changed (list_change).",
        sql: """
            WITH \(seriesScans),
            \(statusCounts)
            SELECT s.scan_id, s.started_at, s.input_name, s.list_change,
                   coalesce(c.scanned, 0) AS domains_scanned, coalesce(c.with_mx, 0) AS with_mx,
                   coalesce(c.sts_record, 0) AS sts_record, coalesce(c.valid_policy, 0) AS valid_policy,
                   coalesce(c.tlsrpt_valid, 0) AS tlsrpt_valid,
                   round(100.0 * c.sts_record / nullif(c.with_mx, 0), 2) AS sts_record_pct_of_mx,
                   round(100.0 * c.valid_policy / nullif(c.with_mx, 0), 2) AS valid_policy_pct_of_mx,
                   round(100.0 * c.tlsrpt_valid / nullif(c.with_mx, 0), 2) AS tlsrpt_valid_pct_of_mx
            FROM series s LEFT JOIN c ON c.scan_id = s.scan_id
            ORDER BY s.started_at, s.scan_id
            """,
        lineChart: SeriesChart(date: "started_at", label: "scan_id", lines: [
            .init(column: "sts_record_pct_of_mx", name: "with an _mta-sts record"),
            .init(column: "valid_policy_pct_of_mx", name: "with a valid MTA-STS policy"),
            .init(column: "tlsrpt_valid_pct_of_mx", name: "with a valid TLS-RPT record"),
        ], metric: "% of domains with MX", change: "list_change", noChange: listUnchanged))

    /// `list_change` values that mark no change of the input list.
    public static let listUnchanged = ["first point", "same list"]

    public static let modes = ReportSectionSpec(
        id: "series_modes", title: "Policy modes and enforce share over time",
        description: "Valid policies of domains with MX per scan of the series, by mode; the *_pct_of_valid columns are shares of valid_policy (enforce_pct_of_valid: the enforce share). delivery_probed counts the valid enforce and testing policies whose MX hosts were probed (0: the scan ran without MX probes), delivery_ok_pct_of_probed the share a compliant sender delivers to (every MX host covered, STARTTLS, valid certificate).",
        sql: """
            WITH \(seriesScans),
            \(statusCounts),
            -- The partial index of fetched policies (a few % of the rows); without statistics SQLite
            -- would read every row of every scan.
            d AS (SELECT scan_id, count(*) AS probed, sum(delivery = 'ok') AS ok
                  FROM domain_results INDEXED BY domain_results_policy
                  WHERE scan_id IN (SELECT scan_id FROM series) AND policy_status = 'valid' AND mx_status = 'ok'
                    AND delivery IS NOT NULL
                  GROUP BY scan_id)
            SELECT s.scan_id, s.started_at, coalesce(c.valid_policy, 0) AS valid_policy,
                   coalesce(c.enforce, 0) AS enforce, coalesce(c.testing, 0) AS testing, coalesce(c.none, 0) AS none,
                   round(100.0 * c.enforce / nullif(c.valid_policy, 0), 2) AS enforce_pct_of_valid,
                   round(100.0 * c.testing / nullif(c.valid_policy, 0), 2) AS testing_pct_of_valid,
                   round(100.0 * c.none / nullif(c.valid_policy, 0), 2) AS none_pct_of_valid,
                   coalesce(d.probed, 0) AS delivery_probed,
                   round(100.0 * d.ok / nullif(d.probed, 0), 2) AS delivery_ok_pct_of_probed
            FROM series s LEFT JOIN c ON c.scan_id = s.scan_id LEFT JOIN d ON d.scan_id = s.scan_id
            ORDER BY s.started_at, s.scan_id
            """,
        lineChart: SeriesChart(date: "started_at", label: "scan_id", lines: [
            .init(column: "enforce_pct_of_valid", name: "enforce"),
            .init(column: "testing_pct_of_valid", name: "testing"),
            .init(column: "none_pct_of_valid", name: "none"),
        ], metric: "% of valid policies (domains with MX)", change: nil))

    /// Per step of the series (a point and the point before it), the domains whose deployment
    /// moved: only domains with an `_mta-sts` record in either scan can move, so both scans are
    /// reduced to those first (`rec`), then read once each through a hashed probe (`want`).
    public static let modeTransitions = ReportSectionSpec(
        id: "series_mode_transitions", title: "Mode transitions over time",
        description: "Per point of the series after the first: the domains in both this scan and the previous point (from_scan) whose deployment moved between them, matched by name (docs/transitions.md; undecided measurements make none). toward_enforce sums testing_to_enforce, none_to_testing and none_to_enforce; away_from_enforce sums enforce_to_testing, enforce_to_none and testing_to_none; gained_policy counts domains with a valid policy now and none before (absent or failing), lost_policy the reverse. Counts, not rates: a changed list (list_change) changes the domains compared.",
        sql: """
            WITH \(seriesScans),
            steps AS (SELECT scan_id, started_at, lag(scan_id) OVER (ORDER BY started_at, scan_id) AS from_scan, list_change
                      FROM series),
            rec AS MATERIALIZED (SELECT DISTINCT scan_id, domain FROM results
                                 WHERE scan_id IN (SELECT scan_id FROM series) AND sts_record <> 'absent'),
            pick AS MATERIALIZED (SELECT DISTINCT s.scan_id AS to_scan, s.from_scan, rec.domain FROM steps s
                                  JOIN rec ON rec.scan_id IN (s.scan_id, s.from_scan) WHERE s.from_scan IS NOT NULL),
            want AS MATERIALIZED (SELECT to_scan AS scan_id, domain FROM pick UNION SELECT from_scan, domain FROM pick),
            st AS MATERIALIZED (SELECT r.scan_id, r.domain, min(r.position) AS position, r.mode, \(TransitionSQL.state) AS state
                                FROM results r
                                WHERE r.scan_id IN (SELECT scan_id FROM want) AND (r.scan_id, r.domain) IN (SELECT scan_id, domain FROM want)
                                GROUP BY r.scan_id, r.domain),
            pairs AS (SELECT p.to_scan, \(TransitionSQL.policyState(state: "a.state", mode: "a.mode")) AS before,
                             \(TransitionSQL.policyState(state: "b.state", mode: "b.mode")) AS after
                      FROM pick p JOIN st a ON a.scan_id = p.from_scan AND a.domain = p.domain
                                  JOIN st b ON b.scan_id = p.to_scan AND b.domain = p.domain),
            m AS (SELECT to_scan,
                         sum(before = 'testing' AND after = 'enforce') AS testing_to_enforce,
                         sum(before = 'none' AND after = 'testing') AS none_to_testing,
                         sum(before = 'none' AND after = 'enforce') AS none_to_enforce,
                         sum(before = 'enforce' AND after = 'testing') AS enforce_to_testing,
                         sum(before = 'enforce' AND after = 'none') AS enforce_to_none,
                         sum(before = 'testing' AND after = 'none') AS testing_to_none,
                         sum(before IN ('absent', 'failing') AND after IN ('enforce', 'testing', 'none')) AS gained_policy,
                         sum(before IN ('enforce', 'testing', 'none') AND after IN ('absent', 'failing')) AS lost_policy
                  FROM pairs GROUP BY to_scan)
            SELECT s.scan_id, s.started_at, s.from_scan, s.list_change,
                   coalesce(m.testing_to_enforce + m.none_to_testing + m.none_to_enforce, 0) AS toward_enforce,
                   coalesce(m.enforce_to_testing + m.enforce_to_none + m.testing_to_none, 0) AS away_from_enforce,
                   coalesce(m.gained_policy, 0) AS gained_policy, coalesce(m.lost_policy, 0) AS lost_policy,
                   coalesce(m.testing_to_enforce, 0) AS testing_to_enforce, coalesce(m.none_to_testing, 0) AS none_to_testing,
                   coalesce(m.none_to_enforce, 0) AS none_to_enforce, coalesce(m.enforce_to_testing, 0) AS enforce_to_testing,
                   coalesce(m.enforce_to_none, 0) AS enforce_to_none, coalesce(m.testing_to_none, 0) AS testing_to_none
            FROM steps s LEFT JOIN m ON m.to_scan = s.scan_id
            WHERE s.from_scan IS NOT NULL
            ORDER BY s.started_at, s.scan_id
            """,
        lineChart: SeriesChart(date: "started_at", label: "scan_id", lines: [
            .init(column: "toward_enforce", name: "toward enforce"),
            .init(column: "away_from_enforce", name: "away from enforce"),
            .init(column: "gained_policy", name: "gained a valid policy"),
            .init(column: "lost_policy", name: "lost a valid policy"),
        ], metric: "domains in both scans (count) that moved since the previous point", valueIsPercent: false,
           change: "list_change", noChange: listUnchanged))
}
