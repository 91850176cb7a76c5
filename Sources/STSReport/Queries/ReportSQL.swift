/// The SQL of `stsscan report`: the one place it is written. Each query reads the `results`
/// view (and `findings`, `finding_codes`, `mx_hosts`, `scans`) for the scan `:scan_id`.
/// Percentages are of the population named in the column or description, rounded to 2 places.
public enum ReportSQL {
    /// Every section of the report, in the order printed.
    public static let sections: [ReportSectionSpec] = [
        metadata, listFunnel, funnel, modes, maxAgeBuckets, maxAgeCDF, maxAgePercentiles, maxAgeTop, errorStages, resultTypes,
        misconfigurations, listHygiene, tlsrptErrors, errors, findings, wouldBreakDelivery, wouldBreakExamples, mxCoverage, delivery, deliveryReasons,
        mxProviders, mxProviderAdoption, mxCertificatesExpiring, mxTLSVersions, tlsrpt, tlsrptDestinations,
        byRank, byTLD, providers,
        // Sections over several scans (left out when the database holds no earlier finished scan).
        transitions,
    ]

    /// `ci_low, ci_high`: the Wilson score 95% interval (z = 1.96) of the rate `k / n`, in
    /// percent. Unlike the normal approximation it stays inside 0-100 and is honest for
    /// small groups and rates near 0 or 1 (Brown, Cai, DasGupta 2001).
    static func wilson(_ k: String, _ n: String) -> String {
        let spread = "1.96 * sqrt(\(k) * (\(n) - \(k)) * 1.0 / \(n) + 0.9604)"
        return "round(100.0 * (\(k) + 1.9208 - \(spread))\n             / (\(n) + 3.8416), 2) AS ci_low,\n"
            + "       round(100.0 * (\(k) + 1.9208 + \(spread))\n             / (\(n) + 3.8416), 2) AS ci_high"
    }

    /// The section ids, for `--section` and documentation.
    public static var sectionIDs: [String] { sections.map(\.id) }

    public static let metadata = ReportSectionSpec(
        id: "metadata", title: "Scan metadata",
        description: "When the scan ran, with which versions, resolvers and options, over which input: what is needed to reproduce every figure below.",
        sql: """
            WITH s AS (SELECT * FROM scans WHERE id = :scan_id),
            n AS (SELECT count(*) AS stored FROM results WHERE scan_id = :scan_id),
            d AS (SELECT count(*) AS duplicates FROM findings WHERE scan_id = :scan_id AND code = 'input-duplicate')
            SELECT 'scan_id' AS field, id AS value FROM s
            UNION ALL SELECT 'started_at', started_at FROM s
            UNION ALL SELECT 'finished_at', finished_at FROM s
            UNION ALL SELECT 'tool_version', tool_version FROM s
            UNION ALL SELECT 'cares_version', cares_version FROM s
            UNION ALL SELECT 'curl_version', curl_version FROM s
            UNION ALL SELECT 'sqlite_version', sqlite_version FROM s
            UNION ALL SELECT 'resolvers', resolvers FROM s
            UNION ALL SELECT 'options', options FROM s
            UNION ALL SELECT 'input_name', input_name FROM s
            UNION ALL SELECT 'input_sha256', input_sha256 FROM s
            UNION ALL SELECT 'shard', shard FROM s
            UNION ALL SELECT 'domains_total', domains_total FROM s
            UNION ALL SELECT 'rows_stored', stored FROM n
            UNION ALL SELECT 'duplicate_entries', duplicates FROM d
            """)

    public static let listFunnel = ReportSectionSpec(
        id: "list_funnel", title: "The list before MTA-STS",
        description: "List entries (percent of the list's entries; empty while an unfinished scan has not read its list to the end) that resolve (the MX lookup answered: ok or nodata), have MX records, and publish an _mta-sts TXT record; the adoption funnel below starts at the last step.",
        sql: """
            WITH g AS (SELECT mx_status, sts_record, count(*) AS n FROM results WHERE scan_id = :scan_id
                       GROUP BY mx_status, sts_record),
            c AS (SELECT coalesce(sum(n), 0) AS listed,
                         coalesce(sum(n * (mx_status IN ('ok', 'nodata'))), 0) AS resolvable,
                         coalesce(sum(n * (mx_status = 'ok')), 0) AS with_mx,
                         coalesce(sum(n * (sts_record IN ('valid', 'invalid'))), 0) AS sts_seen FROM g),
            steps(n, step, domains) AS (
                SELECT 1, 'list entries scanned', listed FROM c
                UNION ALL SELECT 2, 'resolvable', resolvable FROM c
                UNION ALL SELECT 3, 'with MX', with_mx FROM c
                UNION ALL SELECT 4, 'with an _mta-sts record', sts_seen FROM c)
            SELECT step, domains, round(100.0 * domains / nullif((SELECT domains_total FROM scans WHERE id = :scan_id), 0), 2)
                                  AS percent_of_list
            FROM steps ORDER BY n
            """,
        chart: ReportChart(label: "step", value: "domains", metric: "list entries (count, percent of the list)",
                           percent: "percent_of_list"))

    public static let funnel = ReportSectionSpec(
        id: "funnel", title: "Adoption funnel",
        description: "From the domains with an _mta-sts record (MTA-STS-looking TXT, valid or not) to working policies: percent_of_record is of those domains, percent_of_list of the whole list; with_tlsrpt counts those that also publish a valid TLS-RPT record. A record is usable when exactly one valid STSv1 record exists; modes count valid policies.",
        sql: """
            WITH g AS (SELECT sts_record, policy_status, mode, tlsrpt_record = 'valid' AS rpt, count(*) AS n
                       FROM results WHERE scan_id = :scan_id
                       GROUP BY sts_record, policy_status, mode, tlsrpt_record),
            c AS (
                SELECT coalesce(sum(n), 0) AS listed,
                       coalesce(sum(n * (sts_record IN ('valid', 'invalid'))), 0) AS sts_seen,
                       coalesce(sum(n * (sts_record = 'valid')), 0) AS sts_usable,
                       coalesce(sum(n * (policy_status IS 'valid' OR policy_status IS 'invalid')), 0) AS fetched,
                       coalesce(sum(n * (policy_status IS 'valid')), 0) AS valid,
                       coalesce(sum(n * (policy_status IS 'valid' AND mode IS 'enforce')), 0) AS enforce,
                       coalesce(sum(n * (policy_status IS 'valid' AND mode IS 'testing')), 0) AS testing,
                       coalesce(sum(n * (policy_status IS 'valid' AND mode IS 'none')), 0) AS none,
                       coalesce(sum(n * rpt * (sts_record IN ('valid', 'invalid'))), 0) AS t_sts_seen,
                       coalesce(sum(n * rpt * (sts_record = 'valid')), 0) AS t_sts_usable,
                       coalesce(sum(n * rpt * (policy_status IS 'valid' OR policy_status IS 'invalid')), 0) AS t_fetched,
                       coalesce(sum(n * rpt * (policy_status IS 'valid')), 0) AS t_valid,
                       coalesce(sum(n * rpt * (policy_status IS 'valid' AND mode IS 'enforce')), 0) AS t_enforce,
                       coalesce(sum(n * rpt * (policy_status IS 'valid' AND mode IS 'testing')), 0) AS t_testing,
                       coalesce(sum(n * rpt * (policy_status IS 'valid' AND mode IS 'none')), 0) AS t_none
                FROM g),
            steps(n, step, domains, with_tlsrpt) AS (
                SELECT 1, 'with an _mta-sts record', sts_seen, t_sts_seen FROM c
                UNION ALL SELECT 2, 'usable STSv1 record', sts_usable, t_sts_usable FROM c
                UNION ALL SELECT 3, 'policy fetched', fetched, t_fetched FROM c
                UNION ALL SELECT 4, 'valid policy', valid, t_valid FROM c
                UNION ALL SELECT 5, 'mode enforce', enforce, t_enforce FROM c
                UNION ALL SELECT 6, 'mode testing', testing, t_testing FROM c
                UNION ALL SELECT 7, 'mode none', none, t_none FROM c)
            SELECT step, domains, round(100.0 * domains / nullif((SELECT sts_seen FROM c), 0), 2) AS percent_of_record,
                   round(100.0 * domains / nullif((SELECT domains_total FROM scans WHERE id = :scan_id), 0), 2)
                       AS percent_of_list, with_tlsrpt
            FROM steps ORDER BY n
            """,
        chart: ReportChart(label: "step", value: "domains",
                           metric: "domains (count, percent of the domains with an _mta-sts record)",
                           percent: "percent_of_record"))

    public static let modes = ReportSectionSpec(
        id: "modes", title: "Policy modes",
        description: "Modes of valid policies (percent of valid policies).",
        sql: """
            SELECT mode, count(*) AS domains,
                   round(100.0 * count(*) / (SELECT count(*) FROM results
                                             WHERE scan_id = :scan_id AND policy_status = 'valid'), 2) AS percent
            FROM results WHERE scan_id = :scan_id AND policy_status = 'valid'
            GROUP BY mode ORDER BY domains DESC, mode
            """,
        chart: ReportChart(label: "mode", value: "domains", metric: "valid policies (count, percent of valid policies)",
                           percent: "percent"))

    public static let maxAgeBuckets = ReportSectionSpec(
        id: "max_age_buckets", title: "max_age distribution",
        description: "max_age of valid policies in buckets from under a day to the RFC 8461 maximum of 31557600 s (percent of valid policies).",
        sql: """
            WITH b(n, bucket, low, high) AS (VALUES
                (1, '< 1 day', 0, 86400),
                (2, '1 day to < 1 week', 86400, 604800),
                (3, '1 week to < 30 days', 604800, 2592000),
                (4, '30 days to < 6 months', 2592000, 15778800),
                (5, '6 months to < 1 year', 15778800, 31557600),
                (6, '1 year (maximum)', 31557600, 31557601)),
            v AS (SELECT max_age FROM results
                  WHERE scan_id = :scan_id AND policy_status = 'valid' AND max_age IS NOT NULL)
            SELECT b.bucket, count(v.max_age) AS domains,
                   coalesce(round(100.0 * count(v.max_age) / nullif((SELECT count(*) FROM v), 0), 2), 0) AS percent
            FROM b LEFT JOIN v ON v.max_age >= b.low AND v.max_age < b.high
            GROUP BY b.n ORDER BY b.n
            """,
        chart: ReportChart(label: "bucket", value: "domains", metric: "valid policies (count, percent of valid policies)",
                           percent: "percent"))

    public static let maxAgeCDF = ReportSectionSpec(
        id: "max_age_cdf", title: "max_age cumulative distribution",
        description: "Every distinct max_age of valid policies with how many use it and the cumulative share of valid policies at or below it (cumulative_percent): the distribution a histogram hides when most policies pick one of a few round values. Percent of valid policies with a max_age.",
        sql: """
            WITH v AS (SELECT max_age, count(*) AS domains FROM results
                       WHERE scan_id = :scan_id AND policy_status = 'valid' AND max_age IS NOT NULL GROUP BY max_age)
            SELECT max_age, round(max_age / 86400.0, 2) AS days, domains,
                   sum(domains) OVER (ORDER BY max_age) AS cumulative_domains,
                   round(100.0 * sum(domains) OVER (ORDER BY max_age) / sum(domains) OVER (), 2) AS cumulative_percent
            FROM v ORDER BY max_age
            """,
        cdfChart: CDFChart(x: "max_age", cumulative: "cumulative_percent", count: "domains",
                           xTitle: "max_age (log scale)", metric: "% of valid policies with max_age at or below"))

    public static let maxAgePercentiles = ReportSectionSpec(
        id: "max_age_percentiles", title: "max_age percentiles",
        description: "Nearest-rank percentiles of max_age over valid policies, in seconds and days.",
        sql: """
            WITH v AS (SELECT max_age, row_number() OVER (ORDER BY max_age) AS n FROM results
                       WHERE scan_id = :scan_id AND policy_status = 'valid' AND max_age IS NOT NULL),
            t AS (SELECT count(*) AS total, min(max_age) AS lo, max(max_age) AS hi, avg(max_age) AS mean FROM v),
            p(n, statistic, fraction) AS (VALUES
                (2, 'p10', 0.10), (3, 'p25', 0.25), (4, 'median', 0.50), (5, 'p75', 0.75),
                (6, 'p90', 0.90), (7, 'p99', 0.99))
            SELECT statistic, seconds, round(seconds / 86400.0, 2) AS days FROM (
                SELECT 1 AS n, 'min' AS statistic, lo AS seconds FROM t
                UNION ALL
                SELECT p.n, p.statistic, v.max_age FROM p CROSS JOIN t
                    LEFT JOIN v ON v.n = CAST(p.fraction * t.total - 1e-9 AS INTEGER) + 1
                UNION ALL SELECT 8, 'max', hi FROM t
                UNION ALL SELECT 9, 'mean', round(mean, 2) FROM t)
            ORDER BY n
            """)

    public static let maxAgeTop = ReportSectionSpec(
        id: "max_age_top", title: "Most common max_age values",
        description: "The ten most frequent max_age values of valid policies (percent of valid policies).",
        sql: """
            SELECT max_age, round(max_age / 86400.0, 2) AS days, count(*) AS domains,
                   round(100.0 * count(*) / (SELECT count(*) FROM results WHERE scan_id = :scan_id
                                             AND policy_status = 'valid' AND max_age IS NOT NULL), 2) AS percent
            FROM results WHERE scan_id = :scan_id AND policy_status = 'valid' AND max_age IS NOT NULL
            GROUP BY max_age ORDER BY domains DESC, max_age LIMIT 10
            """)

    /// The stages of MTA-STS errors in the order a sender meets them, with the names shown.
    /// List hygiene (stages `input` and `domain`) and TLS-RPT have sections of their own, each
    /// with its own denominator.
    static let stageNames = """
        stages(stage_order, stage, stage_name) AS (VALUES
                (1, 'sts-record', 'MTA-STS record'), (2, 'policy-host', 'policy host'), (3, 'fetch', 'policy fetch'),
                (4, 'policy', 'policy'), (5, 'mx-coverage', 'MX coverage'), (6, 'mx-tls', 'MX STARTTLS'))
        """

    /// The denominator of every MTA-STS error figure: the domains with an `_mta-sts` record
    /// (valid or not) or whose `_mta-sts` lookup failed, the only domains that can have an
    /// MTA-STS error (relation `base`, column `sts_domains`).
    static let stsBase = """
        base AS (SELECT count(*) AS sts_domains FROM results
                     WHERE scan_id = :scan_id AND sts_record IN ('valid', 'invalid', 'error'))
        """

    /// The rule that keeps "other" from hiding a stage's biggest groups: codes ranked by
    /// domains (`place`, `domains` over relation `k` partitioned by `stage_order`) are shown
    /// from the first on, at least five, until the codes left are fewer domains together
    /// than the last code shown; those are folded into "other (N codes)", never a single one.
    /// So "other" is always smaller than every bar above it. Adds `shown` (1 or 0) to `k`.
    static let foldTail = """
        ranked AS (SELECT k.*, sum(domains) OVER (PARTITION BY stage_order) - sum(domains) OVER (PARTITION BY stage_order ORDER BY place
                                                                                 ROWS UNBOUNDED PRECEDING) AS rest,
                          count(*) OVER (PARTITION BY stage_order) - place AS codes_left FROM k),
            cut AS (SELECT stage_order, min(place) AS last_shown FROM ranked
                    WHERE (place >= 5 AND rest < domains AND codes_left <> 1) OR codes_left = 0 GROUP BY stage_order),
            folded AS (SELECT ranked.*, place <= cut.last_shown AS shown FROM ranked JOIN cut USING (stage_order))
        """

    public static let errorStages = ReportSectionSpec(
        id: "error_stages", title: "MTA-STS errors by stage",
        description: "Domains by their primary finding (the first error in stage order), grouped by the MTA-STS stage it belongs to (record, policy host, fetch, policy, MX coverage, MX STARTTLS). Every code is shown until the codes left are fewer domains together than the last one shown; only those are folded into other, so other is never the largest bar. One denominator for the whole table: percent of the domains with an _mta-sts record or a failed _mta-sts lookup (sts_domains). List hygiene and TLS-RPT errors have sections of their own.",
        sql: """
            WITH \(stageNames),
            \(stsBase),
            e AS (SELECT error_code AS code, count(*) AS domains FROM results
                  WHERE scan_id = :scan_id AND error_code IS NOT NULL GROUP BY error_code),
            k AS (SELECT s.stage_order, s.stage_name, e.code, e.domains,
                         row_number() OVER (PARTITION BY s.stage ORDER BY e.domains DESC, e.code) AS place
                  FROM e JOIN finding_codes c ON c.code = e.code JOIN stages s ON s.stage = c.stage),
            \(foldTail)
            SELECT stage_name AS stage,
                   CASE WHEN shown THEN code ELSE 'other (' || count(*) || ' codes)' END AS code,
                   sum(domains) AS domains,
                   round(100.0 * sum(domains) / nullif((SELECT sts_domains FROM base), 0), 2) AS percent,
                   (SELECT sts_domains FROM base) AS sts_domains
            FROM folded GROUP BY stage_order, CASE WHEN shown THEN code END
            ORDER BY stage_order, min(place)
            """,
        chart: ReportChart(label: "code", value: "domains",
                           metric: "domains (count, percent of the domains with an _mta-sts record or a failed lookup)",
                           percent: "percent", group: "stage", denominator: "sts_domains"))

    public static let misconfigurations = ReportSectionSpec(
        id: "misconfigurations", title: "Every MTA-STS misconfiguration by stage",
        description: "Every error finding of the MTA-STS stages, not only the primary one (the delivery verdicts that sum them up left out), every code, nothing folded: how many domains have each (a domain with several errors counts under each). Percent of the domains with an _mta-sts record or a failed _mta-sts lookup (sts_domains), as in MTA-STS errors by stage.",
        sql: """
            WITH \(stageNames),
            \(stsBase),
            f AS (SELECT code, count(DISTINCT position) AS domains FROM findings
                  WHERE scan_id = :scan_id AND severity = 'error' AND code NOT IN ('delivery-degraded', 'delivery-fails')
                  GROUP BY code)
            SELECT s.stage_name AS stage, f.code, f.domains,
                   round(100.0 * f.domains / nullif((SELECT sts_domains FROM base), 0), 2) AS percent,
                   (SELECT sts_domains FROM base) AS sts_domains
            FROM f JOIN finding_codes c ON c.code = f.code JOIN stages s ON s.stage = c.stage
            ORDER BY s.stage_order, f.domains DESC, f.code
            """,
        chart: ReportChart(label: "code", value: "domains",
                           metric: "domains (count, percent of the domains with an _mta-sts record or a failed lookup)",
                           percent: "percent", group: "stage", denominator: "sts_domains"))

    public static let tlsrptErrors = ReportSectionSpec(
        id: "tlsrpt_errors", title: "TLS-RPT errors",
        description: "Error findings of the _smtp._tls record (every one, not only primary: a TLS-RPT error is primary only when MTA-STS has none). Percent of the list (list_entries), as in TLS-RPT adoption.",
        sql: """
            WITH n AS (SELECT count(*) AS list_entries FROM results WHERE scan_id = :scan_id),
            f AS (SELECT code, count(DISTINCT position) AS domains FROM findings
                  WHERE scan_id = :scan_id AND severity = 'error' AND stage = 'tlsrpt' GROUP BY code)
            SELECT f.code, f.domains, round(100.0 * f.domains / nullif(n.list_entries, 0), 2) AS percent, n.list_entries
            FROM f CROSS JOIN n ORDER BY f.domains DESC, f.code
            """,
        chart: ReportChart(label: "code", value: "domains", metric: "list entries (count, percent of the list)",
                           percent: "percent", denominator: "list_entries"))

    public static let listHygiene = ReportSectionSpec(
        id: "list_hygiene", title: "List hygiene",
        description: "Entries whose primary finding is about the list itself (a name that does not exist or has no mail, a malformed entry): a property of the input list, not of MTA-STS. Percent of the list.",
        sql: """
            SELECT e.error_code AS code, count(*) AS domains,
                   round(100.0 * count(*) / (SELECT count(*) FROM results WHERE scan_id = :scan_id), 2) AS percent
            FROM results e JOIN finding_codes c ON c.code = e.error_code
            WHERE e.scan_id = :scan_id AND c.stage IN ('input', 'domain')
            GROUP BY e.error_code ORDER BY domains DESC, e.error_code
            """,
        chart: ReportChart(label: "code", value: "domains", metric: "list entries (count, percent of the list)",
                           percent: "percent"))

    public static let errors = ReportSectionSpec(
        id: "errors", title: "Errors by primary finding",
        description: "Domains by their primary finding (error_code: the first error in stage order), percent of the list, with the first such domain of the list as an example.",
        sql: """
            WITH e AS (SELECT error_code AS code, count(*) AS domains, min(position) AS first FROM results
                       WHERE scan_id = :scan_id AND error_code IS NOT NULL GROUP BY error_code)
            SELECT e.code, c.stage, c.result_type, e.domains,
                   round(100.0 * e.domains / (SELECT count(*) FROM results WHERE scan_id = :scan_id), 2) AS percent,
                   r.domain AS example_domain, r.error_detail AS example_detail
            FROM e JOIN finding_codes c ON c.code = e.code
                   JOIN results r ON r.scan_id = :scan_id AND r.position = e.first
            ORDER BY e.domains DESC, e.code
            """)

    public static let resultTypes = ReportSectionSpec(
        id: "result_types", title: "MTA-STS errors by RFC 8460 result type",
        description: "Primary findings of the MTA-STS stages grouped by the result type a sending MTA would report (RFC 8460 §4.3). List hygiene (domain-nxdomain, bad entries) and TLS-RPT errors are not MTA-STS failures and are left out. Percent of the domains with an _mta-sts record or a failed _mta-sts lookup (sts_domains), as in MTA-STS errors by stage.",
        sql: """
            WITH \(stageNames),
            \(stsBase),
            e AS (SELECT r.error_code AS code, c.result_type, r.domain FROM results r
                  JOIN finding_codes c ON c.code = r.error_code JOIN stages s ON s.stage = c.stage
                  WHERE r.scan_id = :scan_id)
            SELECT result_type, count(*) AS domains,
                   round(100.0 * count(*) / nullif((SELECT sts_domains FROM base), 0), 2) AS percent,
                   (SELECT group_concat(code, ' ') FROM (SELECT DISTINCT code FROM e x
                        WHERE x.result_type = e.result_type ORDER BY code)) AS codes,
                   min(domain) AS example_domain, (SELECT sts_domains FROM base) AS sts_domains
            FROM e GROUP BY result_type ORDER BY domains DESC, result_type
            """,
        chart: ReportChart(label: "result_type", value: "domains",
                           metric: "domains (count, percent of the domains with an _mta-sts record or a failed lookup)",
                           percent: "percent", denominator: "sts_domains"))

    public static let findings = ReportSectionSpec(
        id: "findings", title: "All error and warning findings",
        description: "Every error and warning finding, not only the primary one: how often each code was recorded and on how many domains.",
        sql: """
            SELECT f.code, c.severity, c.stage, count(*) AS findings, count(DISTINCT f.position) AS domains
            FROM findings f JOIN finding_codes c ON c.code = f.code
            WHERE f.scan_id = :scan_id AND f.severity <> 'info'
            GROUP BY f.code ORDER BY domains DESC, f.code
            """)

    public static let wouldBreakDelivery = ReportSectionSpec(
        id: "would_break_delivery", title: "Would break delivery",
        description: "Valid policies in mode enforce whose mx patterns cover none (mail from MTA-STS senders is not delivered) or only some (uncovered MX hosts are skipped) of the domain's MX hosts; percent of enforce policies.",
        sql: """
            SELECT mx_coverage, count(*) AS domains,
                   round(100.0 * count(*) / (SELECT count(*) FROM results WHERE scan_id = :scan_id
                                             AND policy_status = 'valid' AND mode = 'enforce'), 2) AS percent_of_enforce,
                   min(domain) AS example_domain
            FROM results
            WHERE scan_id = :scan_id AND policy_status = 'valid' AND mode = 'enforce' AND mx_coverage IN ('none', 'some')
            GROUP BY mx_coverage ORDER BY mx_coverage
            """,
        chart: ReportChart(label: "mx_coverage", value: "domains",
                           metric: "enforce policies (count, percent of enforce policies)", percent: "percent_of_enforce"))

    public static let wouldBreakExamples = ReportSectionSpec(
        id: "would_break_examples", title: "Would break delivery: domains",
        description: "Up to 25 such domains, coverage none first, then by rank, with their uncovered MX hosts.",
        sql: """
            SELECT r.domain, r.rank, r.mx_coverage, r.max_age,
                   (SELECT group_concat(host, ' ') FROM (SELECT host FROM mx_hosts m
                        WHERE m.scan_id = r.scan_id AND m.position = r.position AND m.covered = 0
                        ORDER BY m.seq)) AS uncovered_mx
            FROM results r
            WHERE r.scan_id = :scan_id AND r.policy_status = 'valid' AND r.mode = 'enforce'
              AND r.mx_coverage IN ('none', 'some')
            ORDER BY r.mx_coverage = 'some', r.rank IS NULL, r.rank, r.domain LIMIT 25
            """)

    public static let mxCoverage = ReportSectionSpec(
        id: "mx_coverage", title: "MX coverage",
        description: "How many of a domain's MX hosts the policy's mx patterns cover, for valid enforce and testing policies (percent within the mode).",
        sql: """
            SELECT mode, mx_coverage, count(*) AS domains,
                   round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY mode), 2) AS percent_of_mode
            FROM results
            WHERE scan_id = :scan_id AND policy_status = 'valid' AND mx_coverage IS NOT NULL
            GROUP BY mode, mx_coverage ORDER BY mode, mx_coverage
            """,
        chart: ReportChart(label: "mx_coverage", value: "domains",
                           metric: "valid policies (count, percent of the mode's policies)", percent: "percent_of_mode",
                           group: "mode"))

    public static let delivery = ReportSectionSpec(
        id: "delivery", title: "Delivery under the policy",
        description: "Would a compliant sender deliver? Per valid enforce/testing policy with probed MX hosts: ok (every MX host covered, STARTTLS, valid certificate), degraded (some), fails (none). In enforce, fails is mail refused today; in testing, what would break on switching to enforce. Percent of the mode's probed domains.",
        sql: """
            SELECT mode, delivery, mode || ' ' || delivery AS verdict, count(*) AS domains,
                   round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY mode), 2) AS percent_of_mode,
                   min(domain) AS example_domain
            FROM results
            WHERE scan_id = :scan_id AND delivery IS NOT NULL
            GROUP BY mode, delivery
            ORDER BY mode, CASE delivery WHEN 'ok' THEN 0 WHEN 'degraded' THEN 1 ELSE 2 END
            """,
        chart: ReportChart(label: "delivery", value: "domains",
                           metric: "policies with probed MX hosts (count, percent of the mode's)", percent: "percent_of_mode",
                           group: "mode"))

    public static let deliveryReasons = ReportSectionSpec(
        id: "delivery_reasons", title: "Delivery failures by reason",
        description: "The MX STARTTLS findings behind degraded and failing verdicts: domains with each, by mode, and the RFC 8460 result type a sender would report (uncovered MX hosts are in MX coverage). percent_of_mode is of the mode's policies with probed MX hosts (mode_probed), as in Delivery under the policy; a domain with several findings counts under each.",
        sql: """
            WITH p AS (SELECT mode, count(*) AS mode_probed FROM results
                       WHERE scan_id = :scan_id AND delivery IS NOT NULL GROUP BY mode)
            SELECT f.code, c.result_type, r.mode, count(DISTINCT f.position) AS domains,
                   round(100.0 * count(DISTINCT f.position) / nullif(p.mode_probed, 0), 2) AS percent_of_mode, p.mode_probed
            FROM findings f
            JOIN results r ON r.scan_id = f.scan_id AND r.position = f.position
            JOIN finding_codes c ON c.code = f.code
            LEFT JOIN p ON p.mode IS r.mode
            WHERE f.scan_id = :scan_id AND f.stage = 'mx-tls' AND f.code NOT IN ('delivery-degraded', 'delivery-fails')
            GROUP BY f.code, r.mode ORDER BY r.mode, domains DESC, f.code
            """,
        chart: ReportChart(label: "code", value: "domains",
                           metric: "policy domains with the finding (count, percent of the mode's policies with probed MX hosts), by mode",
                           percent: "percent_of_mode", group: "mode"))

    /// Hosts serving one entry are left out: on a real list most MX names serve only their own
    /// domain, and 20 bars of "1" would say nothing about concentration.
    public static let mxProviders = ReportSectionSpec(
        id: "mx_providers", title: "Largest MX hosts",
        description: "The 20 MX host names serving the most list entries, among those serving more than one (a name serving a single entry is that domain's own and says nothing about concentration), with their STARTTLS outcome (empty when not probed), TLS version and certificate issuer. Percent of the list entries with MX records (with_mx).",
        sql: """
            WITH h AS (SELECT host, count(DISTINCT position) AS domains FROM mx_hosts WHERE scan_id = :scan_id GROUP BY host),
            n AS (SELECT count(*) AS with_mx FROM results WHERE scan_id = :scan_id AND mx_status = 'ok')
            SELECT h.host, h.domains, round(100.0 * h.domains / nullif(n.with_mx, 0), 2) AS percent_of_mx,
                   p.outcome, p.tls_version, p.cert_issuer, n.with_mx
            FROM h CROSS JOIN n LEFT JOIN mx_probes p ON p.scan_id = :scan_id AND p.host = h.host
            WHERE h.domains > 1
            ORDER BY h.domains DESC, h.host LIMIT 20
            """,
        chart: ReportChart(label: "host", value: "domains", metric: "list entries served (count, percent of the entries with MX)",
                           percent: "percent_of_mx", scale: .auto, denominator: "with_mx"))

    public static let mxProviderAdoption = ReportSectionSpec(
        id: "mx_provider_adoption", title: "Adoption by MX provider",
        description: "List entries by the provider of their primary MX host (lowest preference): the host name cut at its registrable domain by the Public Suffix List (temp table public_suffix, loaded from /usr/share/publicsuffix), self-hosted when the MX host is the domain or under it. The 15 largest providers, the rest as other; percent_valid_policy with its Wilson 95% interval (ci_low, ci_high).",
        sql: """
            WITH RECURSIVE
            p AS (SELECT position, host FROM (
                      SELECT position, rtrim(lower(host), '.') AS host,
                             row_number() OVER (PARTITION BY position ORDER BY preference, seq) AS place
                      FROM mx_hosts WHERE scan_id = :scan_id)
                  WHERE place = 1 AND host <> ''),
            sfx(position, host, s) AS (SELECT position, host, host FROM p
                             UNION ALL SELECT position, host, substr(s, instr(s, '.') + 1) FROM sfx WHERE instr(s, '.') > 0),
            pub AS (SELECT position, host,
                           max(CASE WHEN EXISTS (SELECT 1 FROM public_suffix WHERE suffix = s AND rule = 2)
                                    THEN length(s) - instr(s, '.')  -- an exception's parent is the suffix
                                    WHEN instr(s, '.') = 0
                                      OR EXISTS (SELECT 1 FROM public_suffix WHERE suffix = s AND rule = 0)
                                      OR (EXISTS (SELECT 1 FROM public_suffix
                                                  WHERE suffix = substr(s, instr(s, '.') + 1) AND rule = 1)
                                          AND NOT EXISTS (SELECT 1 FROM public_suffix WHERE suffix = s AND rule = 2))
                                    THEN length(s) ELSE 0 END) AS len
                    FROM sfx GROUP BY position),
            reg AS (SELECT position, host, substr(host, 1, max(length(host) - len - 1, 0)) AS head FROM pub),
            prov AS (SELECT CASE WHEN reg.host = r.domain OR substr(reg.host, -length(r.domain) - 1) = '.' || r.domain
                                 THEN 'self-hosted'
                                 WHEN head = '' THEN reg.host
                                 ELSE substr(reg.host, length(rtrim(head, replace(head, '.', ''))) + 1) END AS provider,
                            r.policy_status, r.mode
                     FROM reg JOIN results r ON r.scan_id = :scan_id AND r.position = reg.position),
            g AS (SELECT provider, count(*) AS domains, sum(policy_status IS 'valid') AS valid_policy,
                         sum(policy_status IS 'valid' AND mode IS 'enforce') AS enforce,
                         row_number() OVER (ORDER BY count(*) DESC, provider) AS place
                  FROM prov GROUP BY provider),
            t AS (SELECT CASE WHEN place <= 15 THEN provider ELSE 'other (' || count(*) || ' providers)' END AS provider,
                         sum(domains) AS domains, sum(valid_policy) AS valid_policy, sum(enforce) AS enforce,
                         min(place) AS place
                  FROM g GROUP BY CASE WHEN place <= 15 THEN provider END)
            SELECT provider, domains, valid_policy, enforce,
                   round(100.0 * valid_policy / domains, 2) AS percent_valid_policy,
                   \(wilson("valid_policy", "domains"))
            FROM t ORDER BY place
            """,
        chart: ReportChart(label: "provider", value: "percent_valid_policy",
                           metric: "% of the provider's domains with a valid policy", valueIsPercent: true,
                           lower: "ci_low", upper: "ci_high", size: "domains", labels: .domainName),
        needsPublicSuffixes: true)

    public static let mxCertificatesExpiring = ReportSectionSpec(
        id: "mx_cert_expiring", title: "MX certificates expiring within 30 days (enforce)",
        description: "MX hosts of valid enforce policies whose certificate expires within 30 days of the scan's start, or already has: when it lapses, compliant senders stop delivering.",
        sql: """
            SELECT p.host, p.cert_not_after, p.outcome, count(DISTINCT r.position) AS enforce_domains
            FROM mx_probes p
            JOIN mx_hosts m ON m.scan_id = p.scan_id AND m.host = p.host
            JOIN results r ON r.scan_id = m.scan_id AND r.position = m.position
            WHERE p.scan_id = :scan_id AND r.policy_status = 'valid' AND r.mode = 'enforce'
              AND julianday(p.cert_not_after) < julianday((SELECT started_at FROM scans WHERE id = :scan_id)) + 30
            GROUP BY p.host ORDER BY p.cert_not_after, p.host LIMIT 50
            """)

    public static let mxTLSVersions = ReportSectionSpec(
        id: "mx_tls_versions", title: "TLS versions of MX hosts",
        description: "Probed MX hosts by the TLS version they negotiated (no TLS: the probe failed before a handshake); percent of probed hosts.",
        sql: """
            SELECT coalesce(tls_version, '(no TLS)') AS tls_version, count(*) AS mx_hosts,
                   round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
            FROM mx_probes WHERE scan_id = :scan_id
            GROUP BY 1 ORDER BY mx_hosts DESC, 1
            """,
        chart: ReportChart(label: "tls_version", value: "mx_hosts", metric: "probed MX hosts (count, percent of probed hosts)",
                           percent: "percent"))

    public static let tlsrpt = ReportSectionSpec(
        id: "tlsrpt", title: "TLS-RPT adoption",
        description: "The _smtp._tls record of every list entry (percent of the list); with_usable_mta_sts counts those that also have a usable STSv1 record.",
        sql: """
            WITH g AS (SELECT tlsrpt_record, sts_record = 'valid' AS usable, count(*) AS n
                       FROM results WHERE scan_id = :scan_id
                       GROUP BY mx_status, sts_record, policy_status, mode, tlsrpt_record)
            SELECT tlsrpt_record AS record, sum(n) AS domains,
                   round(100.0 * sum(n) / (SELECT sum(n) FROM g), 2) AS percent,
                   sum(n * usable) AS with_usable_mta_sts
            FROM g GROUP BY tlsrpt_record
            ORDER BY CASE tlsrpt_record WHEN 'valid' THEN 1 WHEN 'invalid' THEN 2 WHEN 'error' THEN 3 ELSE 4 END
            """,
        chart: ReportChart(label: "record", value: "domains", metric: "list entries (count, percent of the list)",
                           percent: "percent"))

    public static let tlsrptDestinations = ReportSectionSpec(
        id: "tlsrpt_destinations", title: "TLS-RPT report destinations",
        description: "Where valid TLS-RPT records send reports: rua URI schemes (percent of valid records).",
        sql: """
            WITH v AS (SELECT ',' || tlsrpt_rua AS rua FROM results
                       WHERE scan_id = :scan_id AND tlsrpt_record = 'valid' AND tlsrpt_rua IS NOT NULL),
            k AS (SELECT CASE WHEN rua LIKE '%,mailto:%' AND rua LIKE '%,https:%' THEN 'mailto and https'
                              WHEN rua LIKE '%,https:%' THEN 'https only'
                              WHEN rua LIKE '%,mailto:%' THEN 'mailto only'
                              ELSE 'other' END AS destinations FROM v)
            SELECT destinations, count(*) AS domains,
                   round(100.0 * count(*) / (SELECT count(*) FROM v), 2) AS percent
            FROM k GROUP BY destinations ORDER BY domains DESC, destinations
            """,
        chart: ReportChart(label: "destinations", value: "domains",
                           metric: "valid TLS-RPT records (count, percent of valid records)", percent: "percent"))

    public static let byRank = ReportSectionSpec(
        id: "by_rank", title: "Adoption by rank",
        description: "Adoption per popularity bucket of the input list's rank (unranked when the list had no ranks); percentages are of the bucket, with the Wilson 95% interval (ci_low, ci_high) of percent_valid_policy: buckets of fewer than 30 domains are too small to compare.",
        sql: """
            WITH r AS (SELECT CASE WHEN rank IS NULL THEN 6 WHEN rank <= 1000 THEN 1 WHEN rank <= 10000 THEN 2
                                   WHEN rank <= 100000 THEN 3 WHEN rank <= 1000000 THEN 4 ELSE 5 END AS n,
                              sts_record, policy_status, mode, tlsrpt_record
                       FROM results WHERE scan_id = :scan_id),
            g AS (SELECT n, count(*) AS domains,
                         sum(sts_record = 'valid') AS usable_record,
                         sum(policy_status IS 'valid') AS valid_policy,
                         sum(policy_status IS 'valid' AND mode IS 'enforce') AS enforce,
                         sum(tlsrpt_record = 'valid') AS tlsrpt
                  FROM r GROUP BY n)
            SELECT CASE n WHEN 1 THEN 'top 1k' WHEN 2 THEN '1k-10k' WHEN 3 THEN '10k-100k'
                          WHEN 4 THEN '100k-1M' WHEN 5 THEN 'beyond 1M' ELSE 'unranked' END AS rank_bucket,
                   domains, usable_record, valid_policy, enforce, tlsrpt,
                   round(100.0 * valid_policy / domains, 2) AS percent_valid_policy,
                   \(wilson("valid_policy", "domains")),
                   round(100.0 * tlsrpt / domains, 2) AS percent_tlsrpt
            FROM g ORDER BY n
            """,
        chart: ReportChart(label: "rank_bucket", value: "percent_valid_policy",
                           metric: "% of the bucket's domains with a valid policy", valueIsPercent: true,
                           lower: "ci_low", upper: "ci_high", size: "domains"))

    public static let byTLD = ReportSectionSpec(
        id: "by_tld", title: "Adoption by TLD",
        description: "The 25 largest top-level domains of the list with their adoption (percentages are of the TLD's domains). Reads domain_results.tld, the domain's last label (A-label; charts show it in Unicode too). ci_low and ci_high bound percent_valid_policy (Wilson 95% interval): TLDs of fewer than 30 domains are too small to compare.",
        sql: """
            WITH g AS (SELECT tld, count(*) AS domains,
                              sum(policy_status IS 'valid') AS valid_policy,
                              sum(policy_status IS 'valid' AND mode IS 'enforce') AS enforce,
                              sum(tlsrpt_record = 'valid') AS tlsrpt
                       FROM domain_results WHERE scan_id = :scan_id GROUP BY tld)
            SELECT tld, domains, valid_policy, enforce, tlsrpt,
                   round(100.0 * valid_policy / domains, 2) AS percent_valid_policy,
                   \(wilson("valid_policy", "domains")),
                   round(100.0 * tlsrpt / domains, 2) AS percent_tlsrpt
            FROM g ORDER BY domains DESC, tld LIMIT 25
            """,
        chart: ReportChart(label: "tld", value: "percent_valid_policy",
                           metric: "% of the TLD's domains with a valid policy", valueIsPercent: true,
                           lower: "ci_low", upper: "ci_high", size: "domains", labels: .domainName))

    public static let providers = ReportSectionSpec(
        id: "providers", title: "Policy hosting providers",
        description: "The 20 most common CNAME targets of _mta-sts.<domain> (TXT) and mta-sts.<domain> (policy host), reduced to their last two labels; domains counts each domain once.",
        sql: """
            WITH t AS (SELECT position, 'txt' AS kind, rtrim(lower(sts_cname), '.') AS target FROM results
                       WHERE scan_id = :scan_id AND sts_cname IS NOT NULL AND sts_cname != ''
                       UNION ALL
                       SELECT position, 'host', rtrim(lower(policy_host_cname), '.') FROM results
                       WHERE scan_id = :scan_id AND policy_host_cname IS NOT NULL AND policy_host_cname != ''),
            a AS (SELECT position, kind, target, rtrim(target, replace(target, '.', '')) AS upto_last_dot FROM t),
            b AS (SELECT position, kind, target, substr(upto_last_dot, 1, length(upto_last_dot) - 1) AS head FROM a),
            p AS (SELECT position, kind, target,
                         substr(target, length(rtrim(head, replace(head, '.', ''))) + 1) AS provider FROM b)
            SELECT provider, count(DISTINCT position) AS domains,
                   sum(kind = 'txt') AS via_mta_sts_txt, sum(kind = 'host') AS via_policy_host,
                   min(target) AS example_target
            FROM p GROUP BY provider ORDER BY domains DESC, provider LIMIT 20
            """,
        chart: ReportChart(label: "provider", value: "domains", metric: "domains (count)", scale: .auto))
}
