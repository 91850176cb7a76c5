/// The closed vocabulary of outcomes. Every measurement outcome stsscan records is one of
/// these codes; they are stored in databases and printed in reports, so a code is never
/// renamed or reused for another meaning. Add new codes at the end of their stage.
/// `docs/findings.md` lists them for users (a test keeps it in step with this table).
public enum FindingCode: String, Sendable, Codable, CaseIterable {
    // MARK: input
    case inputInvalidName = "input-invalid-name"
    case inputDuplicate = "input-duplicate"

    // MARK: domain (MX lookup of the domain itself)
    case domainNXDomain = "domain-nxdomain"
    case mxMissing = "mx-missing"
    case mxNull = "mx-null"
    case mxDNSTimeout = "mx-dns-timeout"
    case mxDNSServfail = "mx-dns-servfail"
    case mxDNSError = "mx-dns-error"

    // MARK: sts-record (RFC 8461 §3.1)
    case txtAbsent = "txt-absent"
    case txtDNSTimeout = "txt-dns-timeout"
    case txtDNSServfail = "txt-dns-servfail"
    case txtDNSError = "txt-dns-error"
    case txtNotSTSv1 = "txt-not-stsv1"
    case txtVersionNotFirst = "txt-version-not-first"
    case txtMissingID = "txt-missing-id"
    case txtInvalidID = "txt-invalid-id"
    case txtIDTooLong = "txt-id-too-long"
    case txtSyntax = "txt-syntax"
    case txtMultipleRecords = "txt-multiple-records"
    case txtSpaceBeforeDelimiter = "txt-space-before-delimiter"
    case txtExtension = "txt-extension"
    case txtCNAME = "txt-cname"

    // MARK: policy-host (resolving mta-sts.<domain>)
    case policyHostNXDomain = "policy-host-nxdomain"
    case policyHostNoAddress = "policy-host-no-address"
    case policyHostDNSTimeout = "policy-host-dns-timeout"
    case policyHostDNSServfail = "policy-host-dns-servfail"
    case policyHostDNSError = "policy-host-dns-error"
    case policyHostCNAME = "policy-host-cname"

    // MARK: fetch (RFC 8461 §3.3)
    case connectRefused = "connect-refused"
    case connectTimeout = "connect-timeout"
    case connectError = "connect-error"
    case tlsHandshakeFailed = "tls-handshake-failed"
    case certExpired = "cert-expired"
    case certUntrusted = "cert-untrusted"
    case certNameMismatch = "cert-name-mismatch"
    case certInvalid = "cert-invalid"
    case httpRedirect = "http-redirect"
    case httpNotFound = "http-not-found"
    case httpStatus = "http-status"
    case httpContentType = "http-content-type"
    case httpBodyTooLarge = "http-body-too-large"
    case fetchTimeout = "fetch-timeout"
    case fetchError = "fetch-error"

    // MARK: policy (RFC 8461 §3.2)
    case policyEmpty = "policy-empty"
    case policyInvalidUTF8 = "policy-invalid-utf8"
    case policyHTML = "policy-html"
    case policySyntax = "policy-syntax"
    case policyBlankLine = "policy-blank-line"
    case policyDuplicateField = "policy-duplicate-field"
    case policyUnknownField = "policy-unknown-field"
    case policyMissingVersion = "policy-missing-version"
    case policyBadVersion = "policy-bad-version"
    case policyMissingMode = "policy-missing-mode"
    case policyBadMode = "policy-bad-mode"
    case policyMissingMaxAge = "policy-missing-max-age"
    case policyMaxAgeSyntax = "policy-max-age-syntax"
    case policyMaxAge = "policy-max-age"
    case policyMaxAgeLow = "policy-max-age-low"
    case policyMissingMX = "policy-missing-mx"
    case policyBadMX = "policy-bad-mx"

    // MARK: mx-coverage (RFC 8461 §4.1)
    case mxNotCovered = "mx-not-covered"
    case mxPartlyCovered = "mx-partly-covered"
    case mxHostInvalid = "mx-host-invalid"

    // MARK: mx-tls (RFC 8461 §4.2, §5; RFC 3207; rfc8461-8460-rules.md §5)
    case mxHostNXDomain = "mx-host-nxdomain"
    case mxHostNoAddress = "mx-host-no-address"
    /// Only AAAA records, and the scanner's machine has no IPv6 route to them.
    case mxHostIPv6Only = "mx-host-ipv6-only"
    case mxHostDNSError = "mx-host-dns-error"
    case mxIPLiteral = "mx-ip-literal"
    case mxConnectRefused = "mx-connect-refused"
    case mxConnectTimeout = "mx-connect-timeout"
    case mxConnectError = "mx-connect-error"
    case mxGreetingTimeout = "mx-greeting-timeout"
    case mxSMTPError = "mx-smtp-error"
    case mxSMTPTimeout = "mx-smtp-timeout"
    case mxStartTLSMissing = "mx-starttls-missing"
    case mxTLSHandshakeFailed = "mx-tls-handshake-failed"
    case mxCertExpired = "mx-cert-expired"
    case mxCertNotYetValid = "mx-cert-not-yet-valid"
    case mxCertUntrusted = "mx-cert-untrusted"
    case mxCertNameMismatch = "mx-cert-name-mismatch"
    case mxCertInvalid = "mx-cert-invalid"
    case mxProbeError = "mx-probe-error"
    case deliveryDegraded = "delivery-degraded"
    case deliveryFails = "delivery-fails"

    // MARK: tlsrpt (RFC 8460 §3)
    case tlsrptAbsent = "tlsrpt-absent"
    case tlsrptDNSTimeout = "tlsrpt-dns-timeout"
    case tlsrptDNSServfail = "tlsrpt-dns-servfail"
    case tlsrptDNSError = "tlsrpt-dns-error"
    case tlsrptSyntax = "tlsrpt-syntax"
    case tlsrptMissingRUA = "tlsrpt-missing-rua"
    case tlsrptBadURI = "tlsrpt-bad-uri"
    case tlsrptMultipleRecords = "tlsrpt-multiple-records"
    case tlsrptMultipleRUA = "tlsrpt-multiple-rua"
    case tlsrptExtension = "tlsrpt-extension"

    /// Everything known about a code, from the one table below.
    public var info: FindingCodeInfo { FindingCatalog.entry(self) }
    public var severity: Severity { info.severity }
    public var stage: Stage { info.stage }
    public var resultType: ResultType { info.resultType }
    /// One line saying what was observed.
    public var summary: String { info.summary }
    /// What an operator should do about it (empty for neutral observations).
    public var advice: String { info.advice }
}

/// One row of the finding catalog.
public struct FindingCodeInfo: Sendable {
    public let severity: Severity
    public let stage: Stage
    public let resultType: ResultType
    public let summary: String
    public let advice: String
}
