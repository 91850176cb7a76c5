/// Every kind of domain the simulated internet contains. The raw value is the `scenario`
/// column of `truth.csv`. Which DNS records, web content and faults each one gets, and its
/// expected outcome, live in `ScenarioPlanner`.
public enum Scenario: String, Sendable, CaseIterable, Codable {
    // Non-adopting majority (no _mta-sts record).
    case mxOnly = "mx-only"
    case noMX = "no-mx"
    case nxdomain = "nxdomain"
    case nullMX = "null-mx"
    case mxOnlyTLSRPT = "mx-only-tlsrpt"
    case dnsTimeoutMX = "dns-timeout-mx"
    case dnsServfailMX = "dns-servfail-mx"

    // Common valid deployments.
    case validEnforce = "valid-enforce"
    case validTesting = "valid-testing"
    case validNone = "valid-none"
    case validEnforceWildcard = "valid-enforce-wildcard"

    // Valid deployments with a twist.
    case validUnknownKeys = "valid-unknown-keys"
    case validDuplicateFields = "valid-duplicate-fields"
    case validTXTExtension = "valid-txt-extension"
    case validUnrelatedTXT = "valid-unrelated-txt"
    /// Look-alike records (`v=STSv1` alone, `V=STSv1; ...`, `v=TLSRPTv1` alone) beside the good ones.
    case validLookalikeTXT = "valid-lookalike-txt"
    case validMultiStringTXT = "valid-multi-string-txt"
    case validSpaceBeforeDelimiter = "valid-space-before-delimiter"
    case validSTSCNAME = "valid-sts-cname"
    case validHostCNAME = "valid-host-cname"
    case validMaxAgeZero = "valid-max-age-zero"
    case validMaxAgeMax = "valid-max-age-max"
    case validMaxAgeLeadingZeros = "valid-max-age-leading-zeros"
    case validBlankLine = "valid-blank-line"
    case validNoFinalNewline = "valid-no-final-newline"
    case validManyMX = "valid-many-mx"
    case validBigTXT = "valid-big-txt"
    case validDNSTruncated = "valid-dns-truncated"
    case validIDN = "valid-idn"
    case validIDNTLD = "valid-idn-tld"

    // _mta-sts TXT failures (RFC 8461 §3.1).
    case txtMissingID = "txt-missing-id"
    case txtInvalidID = "txt-invalid-id"
    case txtIDTooLong = "txt-id-too-long"
    case txtVersionNotFirst = "txt-version-not-first"
    case txtSTSv2 = "txt-stsv2"
    case txtLowercaseVersion = "txt-lowercase-version"
    case txtTwoRecords = "txt-two-records"

    // Policy host and fetch failures (RFC 8461 §3.3).
    case fetchHostNXDomain = "fetch-host-nxdomain"
    case fetchHostNoAddress = "fetch-host-no-address"
    case fetchRefused = "fetch-refused"
    case fetchTLSHandshake = "fetch-tls-handshake"
    case fetchCertExpired = "fetch-cert-expired"
    case fetchCertWrongName = "fetch-cert-wrong-name"
    case fetchCertSelfSigned = "fetch-cert-self-signed"
    case fetchCertUnknownCA = "fetch-cert-unknown-ca"
    case fetch404 = "fetch-404"
    case fetch500 = "fetch-500"
    case fetch301 = "fetch-301"
    case fetchTextHTML = "fetch-text-html"
    case fetchBodyTooLarge = "fetch-body-too-large"
    case fetchSlowSleep = "fetch-slow-sleep"
    case fetchSlowDrip = "fetch-slow-drip"

    // Policy body failures (RFC 8461 §3.2), hostile content included.
    case policyEmpty = "policy-empty"
    case policyMissingVersion = "policy-missing-version"
    case policyBadVersion = "policy-bad-version"
    case policyMissingMode = "policy-missing-mode"
    case policyBadMode = "policy-bad-mode"
    case policyMissingMaxAge = "policy-missing-max-age"
    case policyMaxAgeTooLarge = "policy-max-age-too-large"
    case policyMaxAgeNonNumeric = "policy-max-age-non-numeric"
    case policyEnforceNoMX = "policy-enforce-no-mx"
    case policySyntax = "policy-syntax"
    case policyHTMLAsText = "policy-html-as-text"
    case policyBinary = "policy-binary"
    case policyScript = "policy-script"
    case policyANSI = "policy-ansi"
    case policyHugeMXList = "policy-huge-mx-list"

    // MX coverage (RFC 8461 §4.1).
    case mxCoverageSome = "mx-coverage-some"
    case mxCoverageNone = "mx-coverage-none"
    case mxWildcardTrap = "mx-wildcard-trap"

    // MX hosts and their STARTTLS (RFC 8461 §4.2, §5): what a compliant sender meets.
    case mxProviderShared = "mx-provider-shared"
    case mxProviderTenant = "mx-provider-tenant"
    case mxSelfHosted = "mx-self-hosted"
    case mxCertExpired = "mx-cert-expired"
    case mxCertNotYetValid = "mx-cert-not-yet-valid"
    case mxCertSelfSigned = "mx-cert-self-signed"
    case mxCertUnknownCA = "mx-cert-unknown-ca"
    case mxCertWrongName = "mx-cert-wrong-name"
    case mxNoSTARTTLS = "mx-no-starttls"
    case mxConnectRefused = "mx-connect-refused"
    case mxTarpit = "mx-tarpit"
    case mxTLSHandshake = "mx-tls-handshake"
    case mxSMTP5xx = "mx-smtp-5xx"
    case mxOneBroken = "mx-one-broken"
    case mxBackupUncovered = "mx-backup-uncovered"
    case mxIPLiteral = "mx-ip-literal"
    case mxCNAME = "mx-cname"
    case mxHostNoAddress = "mx-host-no-address"
    case mxHostNXDomain = "mx-host-nxdomain"
    case mxTestingBroken = "mx-testing-broken"
    case mxNullEnforce = "mx-null-enforce"
    case mxLongChain = "mx-long-chain"

    // TLS-RPT (RFC 8460 §3).
    case tlsrptHTTPS = "tlsrpt-https"
    case tlsrptMultipleURIs = "tlsrpt-multiple-uris"
    case tlsrptMissingRUA = "tlsrpt-missing-rua"
    case tlsrptBadURI = "tlsrpt-bad-uri"
    case tlsrptTwoRecords = "tlsrpt-two-records"

    // DNS faults injected by dnsdist on an otherwise valid deployment.
    case dnsTimeoutTXT = "dns-timeout-txt"
    case dnsServfailTXT = "dns-servfail-txt"
    case dnsTimeoutPolicyHost = "dns-timeout-policy-host"
    case dnsServfailPolicyHost = "dns-servfail-policy-host"
    case dnsTimeoutTLSRPT = "dns-timeout-tlsrpt"
    case dnsServfailTLSRPT = "dns-servfail-tlsrpt"

    // Every address, as a sender tries them (RFC 5321 §5.1; issue 20). Last, so small
    // worlds filled in declaration order keep the scenarios they had.
    /// `mail.<d>` has two A records: the first refuses, the second serves STARTTLS.
    case mxFirstAddressDead = "mx-first-address-dead"
    /// `mail.<d>` has only an AAAA record, `::1`.
    case mxIPv6Only = "mx-ipv6-only"
    /// `mta-sts.<d>` has two A records: the first refuses, the second serves the policy
    /// (a valid deployment: a sender moves on).
    case validHostFirstAddressDead = "valid-host-first-address-dead"

    /// True for domains that publish (or try to publish) MTA-STS.
    public var adopting: Bool {
        switch self {
        case .mxOnly, .noMX, .nxdomain, .nullMX, .mxOnlyTLSRPT, .dnsTimeoutMX, .dnsServfailMX: false
        default: true
        }
    }

    /// True when the expected `error_code` is an `mx-tls` finding (rfc8461-8460-rules.md
    /// §5): only a scanner that probes the MX hosts' STARTTLS reports it; one that does not
    /// probe stores no error (or a later-stage one) for these domains. Every other
    /// scenario's `error_code` holds with and without probing. (`delivery` always needs
    /// the probe.)
    public var needsMXProbe: Bool {
        switch self {
        case .mxCertExpired, .mxCertNotYetValid, .mxCertSelfSigned, .mxCertUnknownCA, .mxCertWrongName,
             .mxNoSTARTTLS, .mxConnectRefused, .mxTarpit, .mxTLSHandshake, .mxSMTP5xx, .mxOneBroken,
             .mxIPLiteral, .mxHostNoAddress, .mxHostNXDomain, .mxTestingBroken:
            true
        // An mx-tls error only where this machine has no IPv6 route (`mx-host-ipv6-only`).
        case .mxIPv6Only: !WorldAddresses.ipv6Routable
        default: false
        }
    }

    /// The bulk kinds and their relative weights within their pool; every other scenario
    /// is "special" and gets a fixed share (at least one domain when the pool allows).
    var commonWeight: Int? {
        switch self {
        case .mxOnly: 850
        case .noMX: 100
        case .nxdomain: 50
        case .validEnforce: 50
        case .validTesting: 35
        case .validNone: 10
        case .validEnforceWildcard: 5
        default: nil
        }
    }

    /// Share of its pool given to each special scenario (before the at-least-one rule).
    var specialShare: Double {
        switch self {
        case .dnsTimeoutMX, .dnsServfailMX: 1.0 / 5000
        case .nullMX, .mxOnlyTLSRPT: 1.0 / 200
        // Each MX scenario adds MX hosts to probe: a 1M-domain 2 % world keeps them at a
        // few thousand (the probe must not dominate the benchmark).
        case .mxProviderShared, .mxProviderTenant, .mxSelfHosted, .mxCertExpired, .mxCertNotYetValid,
             .mxCertSelfSigned, .mxCertUnknownCA, .mxCertWrongName, .mxNoSTARTTLS, .mxConnectRefused, .mxTarpit,
             .mxTLSHandshake, .mxSMTP5xx, .mxOneBroken, .mxBackupUncovered, .mxIPLiteral, .mxCNAME,
             .mxHostNoAddress, .mxHostNXDomain, .mxTestingBroken, .mxNullEnforce, .mxLongChain,
             .mxFirstAddressDead, .mxIPv6Only:
            1.0 / 1000
        default: 1.0 / 300
        }
    }
}
