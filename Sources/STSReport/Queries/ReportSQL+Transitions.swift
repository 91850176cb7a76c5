import STSCore

extension ReportSQL {
    /// Issue 12: the transitions from the newest finished scan before `:scan_id` to it, per
    /// kind (docs/transitions.md; `stsscan diff` lists the domains). One statement, the
    /// same rules as the diff's temporary tables (`TransitionSQL`).
    public static let transitions = ReportSectionSpec(
        id: "transitions", title: "Transitions since the previous scan",
        description: "Domains in both this scan and the previous finished scan (from_scan) per kind of transition (docs/transitions.md; `stsscan diff` lists them); a domain can make several. Domains whose measurement did not decide in either scan make none.",
        sql: """
            WITH prev AS (SELECT max(id) AS id FROM scans WHERE id < :scan_id AND finished_at IS NOT NULL),
            a AS MATERIALIZED (\(TransitionSQL.perScan(schema: "main", scan: "(SELECT id FROM prev)"))),
            b AS MATERIALIZED (\(TransitionSQL.perScan(schema: "main", scan: ":scan_id"))),
            j AS (\(TransitionSQL.pairs(fromSchema: "main", toSchema: "main", fromScan: "(SELECT id FROM prev)", toScan: ":scan_id"))),
            t AS (\(TransitionSQL.classify))
            SELECT (SELECT id FROM prev) AS from_scan, c.kind, c.domains, c.meaning FROM (\(TransitionSQL.counts)) c
            """,
        needsEarlierScan: true)
}
