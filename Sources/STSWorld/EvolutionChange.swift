/// One kind of change `world evolve` makes to a domain, as months would. Each plants
/// known transitions (`TransitionKind`), written to `transitions.csv`.
enum EvolutionChange: String, Sendable, CaseIterable {
    /// A domain without MTA-STS publishes a record and a `testing` policy.
    case adopt
    /// The `_mta-sts` record, the policy host's address and its policy file go away.
    case drop
    /// testing -> enforce (or back), with a new id.
    case modeChange = "mode-change"
    /// A new max_age, with a new id.
    case maxAge = "max-age"
    /// One more mx pattern, with a new id.
    case mxList = "mx-list"
    /// max_age or mode changed, the id kept: the operator mistake of RFC 8461 section 3.1.
    case bodyKeepID = "body-keep-id"
    /// A new id, the policy untouched.
    case idOnly = "id-only"
    /// The policy host's certificate is replaced by an expired one.
    case certExpire = "cert-expire"
    /// The domain moves its mail from provider A to provider B and forgets the policy:
    /// its MX host is no longer covered, delivery fails.
    case mxMove = "mx-move"
    /// A policy host whose certificate had expired (`fetch-cert-expired`) gets a valid one.
    case renew

    /// Share of the eligible pool each change takes (at least one domain).
    static let share = 0.03
}
