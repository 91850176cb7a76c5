import STSCore

/// The SQL of transitions (docs/transitions.md): `TransitionRules` of STSCore written over
/// the database, shared by `stsscan diff` (temporary tables) and the report's
/// `transitions` section (one statement). A test runs both implementations on one
/// fixture. Domains are matched by their stored (normalised) name; a domain listed twice
/// counts once, as its first entry.
public enum TransitionSQL {
    /// The `DeploymentState` text of a row of `results` (alias `r`); NULL = inconclusive.
    static let state = """
        CASE WHEN r.mx_status IN ('timeout', 'servfail', 'error') THEN NULL
             WHEN r.sts_record = 'absent' THEN 'absent'
             WHEN r.sts_record = 'invalid' THEN r.error_code
             WHEN r.sts_record = 'valid' AND r.policy_status = 'valid' THEN 'working'
             WHEN r.sts_record = 'valid' AND r.policy_status IN ('fetch-error', 'invalid')
                  AND r.error_code NOT IN (\(TransitionRules.inconclusiveCodes.map(\.rawValue).sorted().map { "'\($0)'" }.joined(separator: ", ")))
                  THEN r.error_code
        END
        """

    /// One row per domain of scan `scan` in `schema`: the columns transitions and the
    /// older diff sections read (the first entry of a domain listed twice). `only`: a
    /// relation of the domains wanted (all when nil).
    static func perScan(schema: String, scan: String, only: String? = nil) -> String {
        """
        SELECT r.domain, min(r.position) AS position, r.mx_status, r.sts_record, r.sts_id, r.policy_status, r.mode,
               r.max_age, r.error_code, r.error_detail, r.delivery,
               \(state) AS state
        FROM \(schema).results r WHERE r.scan_id = \(scan)\(only.map { " AND r.domain IN \($0)" } ?? "") GROUP BY r.domain
        """
    }

    /// A domain's deployment in one scan as the before -> after tables name it, from its
    /// `state` column (`state` above) and `mode`: the mode of a working policy, `failing`
    /// (a primary error), `absent`, or `undecided` (inconclusive).
    static func policyState(state: String, mode: String) -> String {
        "CASE WHEN \(state) IS NULL THEN 'undecided' WHEN \(state) = 'working' THEN \(mode) "
            + "WHEN \(state) = 'absent' THEN 'absent' ELSE 'failing' END"
    }

    /// The policy text (`TransitionRules.policyText`) of a side (`from`/`to`) of the pairs.
    static func policyText(_ side: String) -> String {
        "'mode=' || coalesce(mode_\(side), '') || ' max_age=' || coalesce(max_age_\(side), '') || ' mx=' || coalesce(mx_\(side), '')"
    }

    /// `TransitionRules.mxText` of the policy stored at `position` of `scan` (SQLite keeps
    /// the inner ORDER BY for group_concat; 3.40 has no ORDER BY inside aggregates).
    static func mxText(schema: String, scan: String, position: String) -> String {
        """
        (SELECT group_concat(p, ',') FROM (SELECT DISTINCT lower(m.pattern) AS p FROM \(schema).policy_mx m
                                             WHERE m.scan_id = \(scan) AND m.position = \(position) ORDER BY p))
        """
    }

    /// The pairs' select list over per-scan relations `a` and `b` (joined on domain): both
    /// scans' columns with `_from`/`_to` suffixes, and the mx texts where both scans have a
    /// working policy (the only rows that compare policies).
    static func pairs(fromSchema: String, toSchema: String, fromScan: String, toScan: String) -> String {
        let both = "a.state = 'working' AND b.state = 'working'"
        return """
            SELECT a.domain, a.position AS position_from, b.position AS position_to,
                   a.sts_record AS sts_from, b.sts_record AS sts_to,
                   a.policy_status AS policy_from, b.policy_status AS policy_to,
                   a.mode AS mode_from, b.mode AS mode_to,
                   a.max_age AS max_age_from, b.max_age AS max_age_to,
                   a.error_code AS error_from, b.error_code AS error_to,
                   a.error_detail AS detail_from, b.error_detail AS detail_to,
                   a.delivery AS delivery_from, b.delivery AS delivery_to,
                   a.sts_id AS sts_id_from, b.sts_id AS sts_id_to,
                   a.state AS state_from, b.state AS state_to,
                   CASE WHEN \(both) THEN \(mxText(schema: fromSchema, scan: fromScan, position: "a.position")) END AS mx_from,
                   CASE WHEN \(both) THEN \(mxText(schema: toSchema, scan: toScan, position: "b.position")) END AS mx_to
            FROM a JOIN b ON b.domain = a.domain
            """
    }

    /// Every transition of the pairs relation `j`: `domain, kind, before, after`, plus
    /// `k`, the kind's place in `TransitionKind` order.
    static let classify = """
        SELECT domain, 1 AS k, 'adopted' AS kind, state_from AS before, state_to AS after FROM j
            WHERE state_from = 'absent' AND state_to <> 'absent'
        UNION ALL SELECT domain, 2, 'dropped', state_from, state_to FROM j
            WHERE state_to = 'absent' AND state_from <> 'absent'
        UNION ALL SELECT domain, 3, 'policy-broken', state_from, state_to FROM j
            WHERE state_from = 'working' AND state_to NOT IN ('working', 'absent')
        UNION ALL SELECT domain, 4, 'policy-fixed', state_from, state_to FROM j
            WHERE state_to = 'working' AND state_from NOT IN ('working', 'absent')
        UNION ALL SELECT domain, 5, 'mode-changed', mode_from, mode_to FROM j
            WHERE state_from = 'working' AND state_to = 'working' AND mode_from IS NOT mode_to
        UNION ALL SELECT domain, 6, 'max-age-changed', CAST(max_age_from AS TEXT), CAST(max_age_to AS TEXT) FROM j
            WHERE state_from = 'working' AND state_to = 'working' AND max_age_from IS NOT max_age_to
        UNION ALL SELECT domain, 7, 'mx-changed', coalesce(mx_from, ''), coalesce(mx_to, '') FROM j
            WHERE state_from = 'working' AND state_to = 'working' AND coalesce(mx_from, '') <> coalesce(mx_to, '')
        UNION ALL SELECT domain, 8, 'policy-changed-id-unchanged', \(policyText("from")), \(policyText("to")) FROM j
            WHERE state_from = 'working' AND state_to = 'working' AND sts_id_from IS sts_id_to
              AND \(policyText("from")) <> \(policyText("to"))
        UNION ALL SELECT domain, 9, 'id-changed-policy-unchanged', sts_id_from, sts_id_to FROM j
            WHERE state_from = 'working' AND state_to = 'working' AND sts_id_from IS NOT sts_id_to
              AND \(policyText("from")) = \(policyText("to"))
        UNION ALL SELECT domain, 10, 'delivery-changed', delivery_from, delivery_to FROM j
            WHERE delivery_from <> delivery_to
        """

    /// `kind, domains, meaning`: one row per `TransitionKind` (zero included) over the
    /// transitions relation `t`.
    static let counts = """
        SELECT k.kind, count(t.kind) AS domains, k.meaning
        FROM (\(TransitionKind.allCases.enumerated().map { index, kind in
            "SELECT \(index + 1) AS n, '\(kind.rawValue)' AS kind, '\(kind.summary.replacingOccurrences(of: "'", with: "''"))' AS meaning"
        }.joined(separator: "\n              UNION ALL "))) k
        LEFT JOIN t ON t.kind = k.kind
        GROUP BY k.n ORDER BY k.n
        """
}
