/// Which domains get their MX hosts' STARTTLS probed (`scan --mx-probe`).
public enum MXProbeMode: String, Sendable, CaseIterable {
    /// Domains whose policy is valid with mode `enforce` or `testing`: the delivery verdict.
    case policy
    /// Every domain with MX hosts (STARTTLS studies at large); the verdict only where a
    /// policy applies.
    case all
    /// No probing: no `mx_probes` rows, `delivery` NULL.
    case none
}

/// How MX hosts are probed during one scan or check.
public struct MXProbeSettings: Sendable {
    public var mode: MXProbeMode
    /// The name sent in `EHLO`: identify the scanner (README, "Scanning port 25 responsibly").
    public var ehloName: String
    /// The SMTP port (25 on the internet).
    public var port: Int

    public init(mode: MXProbeMode = .policy, ehloName: String, port: Int = 25) {
        self.mode = mode
        self.ehloName = ehloName
        self.port = port
    }
}
