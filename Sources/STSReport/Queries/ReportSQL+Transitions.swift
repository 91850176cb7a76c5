import STSCore

extension ReportSQL {
    /// Issue 12: the transitions from the newest finished scan before `:scan_id` to it, per
    /// kind (docs/transitions.md; `stsscan diff` lists the domains). One statement, the
    /// same rules as the diff's temporary tables (`TransitionSQL`). Only domains with an
    /// `_mta-sts` record in either scan can make a transition (a delivery verdict needs a
    /// policy), so both scans are reduced to those first (`c`): 1M x 1M in a fifth of the
    /// time of reducing every domain.
    public static let transitions = ReportSectionSpec(
        id: "transitions", title: "Transitions since the previous scan",
        description: "Domains in both this scan and the previous finished scan (from_scan) per kind of transition (docs/transitions.md; `stsscan diff` lists them); a domain can make several. Domains whose measurement did not decide in either scan make none.",
        sql: """
            WITH prev AS (SELECT max(id) AS id FROM scans WHERE id < :scan_id AND finished_at IS NOT NULL),
            c AS MATERIALIZED (SELECT domain FROM results WHERE scan_id = (SELECT id FROM prev) AND sts_record <> 'absent'
                               UNION SELECT domain FROM results WHERE scan_id = :scan_id AND sts_record <> 'absent'),
            a AS MATERIALIZED (\(TransitionSQL.perScan(schema: "main", scan: "(SELECT id FROM prev)", only: "c"))),
            b AS MATERIALIZED (\(TransitionSQL.perScan(schema: "main", scan: ":scan_id", only: "c"))),
            j AS (\(TransitionSQL.pairs(fromSchema: "main", toSchema: "main", fromScan: "(SELECT id FROM prev)", toScan: ":scan_id"))),
            t AS (\(TransitionSQL.classify))
            SELECT (SELECT id FROM prev) AS from_scan, n.kind, n.domains, n.meaning FROM (\(TransitionSQL.counts)) n
            """,
        needsEarlierScan: true)
}
