/// The SQL of `stsscan diff`: two scans compared domain by domain. `:from_scan` and
/// `:to_scan` are scan ids; `{to}` is the schema of the second scan (`main`, or `other`
/// when it lives in a second database attached under that name). A domain listed twice in
/// one scan counts once (its first entry). A deployment is a usable STSv1 record
/// (`sts_record = 'valid'`); broken means a primary error finding (`error_code` not NULL).
public enum DiffSQL {
    /// Every section of the diff, in the order printed, for a second scan in schema `to`.
    public static func sections(toSchema to: String) -> [ReportSectionSpec] {
        [summary, newDeployments, lostDeployments, modeChanges, maxAgeChanges, newlyBroken, newlyFixed]
            .map { spec in
                ReportSectionSpec(id: spec.id, title: spec.title, description: spec.description,
                                  sql: spec.sql.replacingOccurrences(of: "{to}", with: to), chart: spec.chart)
            }
    }

    /// Both scans reduced to one row per domain, and their join.
    static let prelude = """
        WITH a AS (SELECT domain, min(position) AS position, sts_record, policy_status, mode, max_age,
                          error_code, error_detail
                   FROM main.results WHERE scan_id = :from_scan GROUP BY domain),
        b AS (SELECT domain, min(position) AS position, sts_record, policy_status, mode, max_age,
                     error_code, error_detail
              FROM {to}.results WHERE scan_id = :to_scan GROUP BY domain),
        j AS (SELECT a.domain,
                     a.sts_record AS sts_from, b.sts_record AS sts_to,
                     a.policy_status AS policy_from, b.policy_status AS policy_to,
                     a.mode AS mode_from, b.mode AS mode_to,
                     a.max_age AS max_age_from, b.max_age AS max_age_to,
                     a.error_code AS error_from, b.error_code AS error_to,
                     a.error_detail AS detail_from, b.error_detail AS detail_to
              FROM a JOIN b ON a.domain = b.domain)

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
            UNION ALL SELECT 'newly broken', (SELECT count(*) FROM j WHERE error_from IS NULL AND error_to IS NOT NULL)
            UNION ALL SELECT 'newly fixed', (SELECT count(*) FROM j WHERE error_from IS NOT NULL AND error_to IS NULL)
            """,
        chart: ReportChart(label: "change", value: "domains"))

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
