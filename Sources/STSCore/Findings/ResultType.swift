/// The RFC 8460 §4.3 result type a finding maps to (what a sending MTA would put in a
/// TLS report), or `no-policy-found` (RFC 8460 §4.4 policy-type) for outcomes that leave
/// the domain without a usable MTA-STS policy or do not concern delivery at all.
/// Spec: rfc8461-8460-rules.md §7.
public enum ResultType: String, Sendable, Codable, CaseIterable {
    case stsPolicyFetchError = "sts-policy-fetch-error"
    case stsWebpkiInvalid = "sts-webpki-invalid"
    case stsPolicyInvalid = "sts-policy-invalid"
    case starttlsNotSupported = "starttls-not-supported"
    case certificateHostMismatch = "certificate-host-mismatch"
    case certificateExpired = "certificate-expired"
    case certificateNotTrusted = "certificate-not-trusted"
    case validationFailure = "validation-failure"
    case noPolicyFound = "no-policy-found"
}
