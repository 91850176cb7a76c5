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
    public static let sections: [ReportSectionSpec] = [adoption, modes, scans]

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
                       CASE WHEN lag(scan_id) OVER w IS NULL THEN NULL
                            WHEN input_name IS NOT lag(input_name) OVER w THEN 'different list'
                            WHEN shard IS NOT lag(shard) OVER w THEN 'different shard'
                            WHEN input_sha256 IS NOT lag(input_sha256) OVER w
                              OR domains_total IS NOT lag(domains_total) OVER w THEN 'list content changed'
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
        description: "Every scan of the database in time order, and whether it is a point of the series (in_series): unfinished scans are left out (they cover only the head of their list), and so is a shard scan (shard K/N) when the database holds a finished unsharded scan of the same list file (same input_name and input_sha256), which counts its domains already. list_change compares a point with the previous point: empty for the same list, else different list, different shard, or list content changed (same name, other SHA-256 or size). Rates compare across lists; counts do not.",
        sql: """
            WITH \(seriesScans)
            SELECT a.scan_id, a.started_at, a.finished_at, a.input_name, a.shard, a.domains_total,
                   (SELECT count(*) FROM results r WHERE r.scan_id = a.scan_id) AS rows_stored,
                   CASE WHEN a.finished_at IS NULL THEN 'no: unfinished'
                        WHEN a.merged_into IS NOT NULL THEN 'no: shard, counted in whole-list scan ' || a.merged_into
                        ELSE 'yes' END AS in_series,
                   s.list_change
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
        ], metric: "% of domains with MX", change: "list_change"))

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
}
