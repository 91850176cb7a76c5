// STSCore: the rules of MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), with no I/O.
// Parsers for the `_mta-sts` and `_smtp._tls` TXT records and the policy body, MX pattern
// matching, and the finding vocabulary (`FindingCode`). Every other module classifies
// through here, so a rule lives in exactly one place. Spec: shared rfc8461-8460-rules.md.

/// The version of stsscan, recorded with every scan.
public enum STSScanVersion {
    public static let current = "0.1.0"
}
