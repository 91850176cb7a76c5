/// The single table behind `FindingCode`: severity, stage, RFC 8460 result type, summary
/// and advice for every code. Spec: rfc8461-8460-rules.md (sections cited per group).
public enum FindingCatalog {
    private typealias Row = FindingCodeInfo

    private static func row(_ s: Severity, _ st: Stage, _ r: ResultType, _ summary: String, _ advice: String = "") -> Row {
        FindingCodeInfo(severity: s, stage: st, resultType: r, summary: summary, advice: advice)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func entry(_ code: FindingCode) -> FindingCodeInfo {
        switch code {
        // input
        case .inputInvalidName:
            row(.error, .input, .noPolicyFound, "The list entry is not a valid domain name.",
                "Fix the entry in the input list.")
        case .inputDuplicate:
            row(.info, .input, .noPolicyFound,
                "The domain appeared earlier in the list (maybe spelled otherwise); this entry carries the same measurements and is marked so counts can skip it.")

        // domain
        case .domainNXDomain:
            row(.error, .domain, .noPolicyFound, "The domain does not exist (NXDOMAIN).",
                "Check the name in the list: a domain that does not exist receives no mail.")
        case .mxMissing:
            row(.info, .domain, .noPolicyFound, "The domain publishes no MX records.")
        case .mxNull:
            row(.info, .domain, .noPolicyFound, "The domain publishes a null MX (RFC 7505): it accepts no mail.")
        case .mxDNSTimeout:
            row(.error, .domain, .noPolicyFound, "The MX lookup timed out after all tries.",
                "Check that the domain's name servers answer.")
        case .mxDNSServfail:
            row(.error, .domain, .noPolicyFound, "The MX lookup failed with SERVFAIL.",
                "Check the domain's name servers and DNSSEC.")
        case .mxDNSError:
            row(.error, .domain, .noPolicyFound, "The MX lookup failed.",
                "Check the domain's name servers.")

        // sts-record: rfc8461-8460-rules.md §1
        case .txtAbsent:
            row(.info, .stsRecord, .noPolicyFound, "No MTA-STS TXT record at _mta-sts.<domain>.")
        case .txtDNSTimeout:
            row(.error, .stsRecord, .noPolicyFound, "The _mta-sts TXT lookup timed out after all tries.",
                "Check that the domain's name servers answer TXT queries.")
        case .txtDNSServfail:
            row(.error, .stsRecord, .noPolicyFound, "The _mta-sts TXT lookup failed with SERVFAIL.",
                "Check the domain's name servers and DNSSEC.")
        case .txtDNSError:
            row(.error, .stsRecord, .noPolicyFound, "The _mta-sts TXT lookup failed.",
                "Check the domain's name servers.")
        case .txtNotSTSv1:
            row(.error, .stsRecord, .noPolicyFound,
                "A TXT record looks like MTA-STS but does not start with exactly \"v=STSv1\".",
                "Publish \"v=STSv1; id=...\" (case-sensitive; the only version is STSv1).")
        case .txtVersionNotFirst:
            row(.error, .stsRecord, .noPolicyFound, "The record contains v=STSv1 but not as its first field.",
                "Put \"v=STSv1;\" first: \"v=STSv1; id=20240101T000000\".")
        case .txtMissingID:
            row(.error, .stsRecord, .noPolicyFound, "The STSv1 record has no id field.",
                "Add an id of 1 to 32 letters and digits: \"v=STSv1; id=20240101\".")
        case .txtInvalidID:
            row(.error, .stsRecord, .noPolicyFound, "The id contains characters other than letters and digits.",
                "Use only A-Z, a-z and 0-9 in the id (no dashes, dots or spaces).")
        case .txtIDTooLong:
            row(.error, .stsRecord, .noPolicyFound, "The id is longer than 32 characters.",
                "Shorten the id to at most 32 letters and digits.")
        case .txtSyntax:
            row(.error, .stsRecord, .noPolicyFound, "The STSv1 record does not follow the RFC 8461 grammar.",
                "Write fields as \"name=value\" separated by \";\", with no spaces around \"=\".")
        case .txtMultipleRecords:
            row(.error, .stsRecord, .noPolicyFound, "More than one STSv1 record is published: none is used.",
                "Publish exactly one \"v=STSv1\" TXT record at _mta-sts.<domain>.")
        case .txtSpaceBeforeDelimiter:
            row(.warning, .stsRecord, .noPolicyFound,
                "Whitespace before \";\" after v=STSv1: valid by the grammar, but some senders drop the record (erratum 6285).",
                "Write \"v=STSv1;\" with no space before the semicolon.")
        case .txtExtension:
            row(.info, .stsRecord, .noPolicyFound, "The record carries an extension field, which senders ignore.")
        case .txtCNAME:
            row(.info, .stsRecord, .noPolicyFound, "_mta-sts.<domain> is an alias (CNAME), e.g. to a hosting provider.")

        // policy-host: §2
        case .policyHostNXDomain:
            row(.error, .policyHost, .stsPolicyFetchError, "The policy host mta-sts.<domain> does not exist (NXDOMAIN).",
                "Publish an A/AAAA (or CNAME) record for mta-sts.<domain>, or remove the TXT record.")
        case .policyHostNoAddress:
            row(.error, .policyHost, .stsPolicyFetchError, "The policy host mta-sts.<domain> has no A or AAAA record.",
                "Publish an address for mta-sts.<domain>.")
        case .policyHostDNSTimeout:
            row(.error, .policyHost, .stsPolicyFetchError, "Resolving the policy host timed out after all tries.",
                "Check the name servers of mta-sts.<domain>.")
        case .policyHostDNSServfail:
            row(.error, .policyHost, .stsPolicyFetchError, "Resolving the policy host failed with SERVFAIL.",
                "Check the name servers of mta-sts.<domain> and DNSSEC.")
        case .policyHostDNSError:
            row(.error, .policyHost, .stsPolicyFetchError, "Resolving the policy host failed.",
                "Check the name servers of mta-sts.<domain>.")
        case .policyHostCNAME:
            row(.info, .policyHost, .noPolicyFound, "mta-sts.<domain> is an alias (CNAME), e.g. to a hosting provider.")

        // fetch: §2
        case .connectRefused:
            row(.error, .fetch, .stsPolicyFetchError, "The policy host refused the HTTPS connection (port 443).",
                "Run an HTTPS server for mta-sts.<domain> on port 443.")
        case .connectTimeout:
            row(.error, .fetch, .stsPolicyFetchError, "Connecting to the policy host timed out.",
                "Check that port 443 of mta-sts.<domain> is reachable.")
        case .connectError:
            row(.error, .fetch, .stsPolicyFetchError, "Connecting to the policy host failed.",
                "Check that port 443 of mta-sts.<domain> is reachable.")
        case .tlsHandshakeFailed:
            row(.error, .fetch, .stsPolicyFetchError, "The TLS handshake with the policy host failed.",
                "Serve TLS 1.2 or later with a certificate for mta-sts.<domain>.")
        case .certExpired:
            row(.error, .fetch, .stsWebpkiInvalid, "The policy host's certificate has expired (or is not yet valid).",
                "Renew the certificate of mta-sts.<domain>.")
        case .certUntrusted:
            row(.error, .fetch, .stsWebpkiInvalid,
                "The policy host's certificate does not chain to a trusted root (self-signed or unknown CA).",
                "Use a certificate from a public CA and serve the full chain.")
        case .certNameMismatch:
            row(.error, .fetch, .stsWebpkiInvalid, "The policy host's certificate does not name mta-sts.<domain>.",
                "Include mta-sts.<domain> as a DNS name (SAN) in the certificate.")
        case .certInvalid:
            row(.error, .fetch, .stsWebpkiInvalid, "The policy host's certificate failed verification.",
                "Serve a valid certificate for mta-sts.<domain> from a public CA.")
        case .httpRedirect:
            row(.error, .fetch, .stsPolicyFetchError, "The policy URL answered with a redirect, which senders must not follow.",
                "Serve the policy directly at https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200.")
        case .httpNotFound:
            row(.error, .fetch, .stsPolicyFetchError, "The policy URL answered 404 Not Found.",
                "Publish the policy at /.well-known/mta-sts.txt.")
        case .httpStatus:
            row(.error, .fetch, .stsPolicyFetchError, "The policy URL answered with a status other than 200.",
                "Serve the policy with status 200.")
        case .httpContentType:
            row(.error, .fetch, .stsPolicyFetchError, "The policy was not served as text/plain.",
                "Serve /.well-known/mta-sts.txt with Content-Type: text/plain.")
        case .httpBodyTooLarge:
            row(.error, .fetch, .stsPolicyFetchError, "The policy body is larger than 64 KiB.",
                "Keep the policy small: it needs only a few lines.")
        case .fetchTimeout:
            row(.error, .fetch, .stsPolicyFetchError, "Fetching the policy did not finish within the timeout.",
                "Make the policy host answer promptly.")
        case .fetchError:
            row(.error, .fetch, .stsPolicyFetchError, "Fetching the policy failed.",
                "Check the HTTPS server of mta-sts.<domain>.")

        // policy: §3
        case .policyEmpty:
            row(.error, .policy, .stsPolicyInvalid, "The policy body is empty.",
                "Serve version, mode, max_age and mx lines.")
        case .policyInvalidUTF8:
            row(.error, .policy, .stsPolicyInvalid, "The policy body is not text (invalid UTF-8 or control bytes).",
                "Serve a plain ASCII policy file.")
        case .policyHTML:
            row(.error, .policy, .stsPolicyInvalid, "The policy body is an HTML page, not a policy.",
                "Serve the policy file itself, not a web page.")
        case .policySyntax:
            row(.error, .policy, .stsPolicyInvalid, "A policy line does not follow the \"key: value\" grammar.",
                "Write each line as \"key: value\" with no leading whitespace and no space before the colon.")
        case .policyBlankLine:
            row(.warning, .policy, .stsPolicyInvalid, "The policy contains a blank line, which the grammar does not allow.",
                "Remove blank lines from the policy.")
        case .policyDuplicateField:
            row(.warning, .policy, .stsPolicyInvalid, "A field other than mx appears more than once; the first one is used.",
                "Keep a single version, mode and max_age line.")
        case .policyUnknownField:
            row(.info, .policy, .stsPolicyInvalid, "The policy carries a field senders ignore (keys are case-sensitive).")
        case .policyMissingVersion:
            row(.error, .policy, .stsPolicyInvalid, "The policy has no version field.",
                "Add \"version: STSv1\".")
        case .policyBadVersion:
            row(.error, .policy, .stsPolicyInvalid, "The policy version is not STSv1.",
                "Write \"version: STSv1\" (case-sensitive).")
        case .policyMissingMode:
            row(.error, .policy, .stsPolicyInvalid, "The policy has no mode field.",
                "Add \"mode: testing\" or \"mode: enforce\".")
        case .policyBadMode:
            row(.error, .policy, .stsPolicyInvalid, "The policy mode is not enforce, testing or none.",
                "Write the mode in lower case: enforce, testing or none.")
        case .policyMissingMaxAge:
            row(.error, .policy, .stsPolicyInvalid, "The policy has no max_age field.",
                "Add \"max_age: 604800\" (seconds; a week or more is usual).")
        case .policyMaxAgeSyntax:
            row(.error, .policy, .stsPolicyInvalid, "max_age is not a number of 1 to 10 digits.",
                "Write max_age as plain seconds, e.g. \"max_age: 604800\".")
        case .policyMaxAge:
            row(.error, .policy, .stsPolicyInvalid, "max_age exceeds the maximum of 31557600 seconds (one year).",
                "Use at most 31557600.")
        case .policyMaxAgeLow:
            row(.warning, .policy, .stsPolicyInvalid, "max_age is under one day: senders barely cache the policy.",
                "Once the policy works, use weeks (RFC 8461 suggests e.g. 604800 or more).")
        case .policyMissingMX:
            row(.error, .policy, .stsPolicyInvalid, "The policy has no mx line, required unless mode is none.",
                "Add an \"mx:\" line for each MX host pattern.")
        case .policyBadMX:
            row(.error, .policy, .stsPolicyInvalid, "An mx pattern is not a valid host name or \"*.\" wildcard.",
                "Write mx patterns as host names (A-labels for IDN, no trailing dot), optionally starting with \"*.\".")

        // mx-coverage: §4
        case .mxNotCovered:
            row(.error, .mxCoverage, .validationFailure, "No MX host of the domain matches the policy's mx patterns.",
                "List every MX host (or a one-label wildcard for it) in the policy's mx lines.")
        case .mxPartlyCovered:
            row(.warning, .mxCoverage, .validationFailure, "Some MX hosts of the domain match no mx pattern.",
                "List every MX host in the policy's mx lines.")
        case .mxHostInvalid:
            row(.error, .mxCoverage, .validationFailure,
                "An MX host is not a host name (empty, a single label, or not letters, digits and hyphens), so no mx pattern covers it.",
                "Point the MX record at a fully qualified mail server name, e.g. mx1.example.com.")

        // mx-tls: §5 (what a sending MTA meets at each MX host; the detail names the host)
        case .mxHostNXDomain:
            row(.error, .mxTLS, .validationFailure, "An MX host name does not exist (NXDOMAIN).",
                "Point the MX record at a host name that exists, or remove it.")
        case .mxHostNoAddress:
            row(.error, .mxTLS, .validationFailure, "An MX host has no address (no A or AAAA record) to deliver to.",
                "Publish an A record for the MX host.")
        case .mxHostIPv6Only:
            row(.error, .mxTLS, .validationFailure,
                "An MX host has only IPv6 addresses (AAAA) and the scanner has no IPv6 route: senders without IPv6 cannot deliver, and it was not probed.",
                "Publish an A record for the MX host too: many senders still reach mail over IPv4 only.")
        case .mxHostDNSError:
            row(.error, .mxTLS, .validationFailure, "Looking up an MX host's address failed (timeout or SERVFAIL).",
                "Check the name servers of the MX host's zone.")
        case .mxIPLiteral:
            row(.error, .mxTLS, .validationFailure, "An MX record names an IP address instead of a host name.",
                "MX targets must be host names (RFC 5321); publish a name with an A record.")
        case .mxConnectRefused:
            row(.error, .mxTLS, .validationFailure, "An MX host refused the SMTP connection (port 25).",
                "Run the mail server on port 25 of the MX host's address.")
        case .mxConnectTimeout:
            row(.error, .mxTLS, .validationFailure, "Connecting to an MX host on port 25 timed out.",
                "Check the firewall and that the mail server listens on port 25.")
        case .mxConnectError:
            row(.error, .mxTLS, .validationFailure, "Connecting to an MX host on port 25 failed.",
                "Check the MX host's address and network.")
        case .mxGreetingTimeout:
            row(.error, .mxTLS, .validationFailure, "An MX host accepted the connection but did not complete its 220 greeting in time.",
                "Check that the mail server is not overloaded or delaying greetings.")
        case .mxSMTPError:
            row(.error, .mxTLS, .validationFailure,
                "An MX host answered the greeting or EHLO with an error or an unreadable reply.",
                "Check the mail server's greeting and EHLO replies (RFC 5321).")
        case .mxSMTPTimeout:
            row(.error, .mxTLS, .validationFailure, "An MX host stopped answering during the SMTP dialogue.",
                "Check the mail server's logs for stalled sessions.")
        case .mxStartTLSMissing:
            row(.error, .mxTLS, .starttlsNotSupported, "An MX host does not offer STARTTLS in its EHLO reply.",
                "Enable STARTTLS on the mail server (RFC 3207) with a certificate for the MX host name.")
        case .mxTLSHandshakeFailed:
            row(.error, .mxTLS, .validationFailure, "The TLS handshake with an MX host failed after STARTTLS.",
                "Offer TLS 1.2 or later with current cipher suites.")
        case .mxCertExpired:
            row(.error, .mxTLS, .certificateExpired, "An MX host's certificate has expired.",
                "Renew the MX host's certificate.")
        case .mxCertNotYetValid:
            row(.error, .mxTLS, .validationFailure, "An MX host's certificate is not yet valid.",
                "Check the certificate's dates and the server's clock.")
        case .mxCertUntrusted:
            row(.error, .mxTLS, .certificateNotTrusted,
                "An MX host's certificate does not chain to a trusted root (self-signed or unknown CA).",
                "Use a certificate from a public CA and serve the intermediate certificates.")
        case .mxCertNameMismatch:
            row(.error, .mxTLS, .certificateHostMismatch, "An MX host's certificate does not name the MX host.",
                "Get a certificate whose DNS names include the MX host name (one left-most wildcard label at most).")
        case .mxCertInvalid:
            row(.error, .mxTLS, .validationFailure, "An MX host's certificate failed validation.",
                "Check the certificate chain and its extensions.")
        case .mxProbeError:
            row(.error, .mxTLS, .validationFailure, "Probing an MX host failed.",
                "Check the MX host with a manual STARTTLS session (openssl s_client -starttls smtp).")
        case .deliveryDegraded:
            row(.warning, .mxTLS, .validationFailure,
                "Some MX hosts fail the policy: compliant senders deliver only to the others.",
                "Fix or remove the failing MX hosts (each has its own finding).")
        case .deliveryFails:
            row(.error, .mxTLS, .validationFailure,
                "No MX host passes the policy: in enforce mode compliant senders refuse to deliver.",
                "Fix the MX hosts' STARTTLS and certificates or their mx patterns, or switch the policy to testing until they pass.")

        // tlsrpt: §6
        case .tlsrptAbsent:
            row(.info, .tlsrpt, .noPolicyFound, "No TLS-RPT record at _smtp._tls.<domain>.")
        case .tlsrptDNSTimeout:
            row(.error, .tlsrpt, .noPolicyFound, "The _smtp._tls TXT lookup timed out after all tries.",
                "Check that the domain's name servers answer TXT queries.")
        case .tlsrptDNSServfail:
            row(.error, .tlsrpt, .noPolicyFound, "The _smtp._tls TXT lookup failed with SERVFAIL.",
                "Check the domain's name servers and DNSSEC.")
        case .tlsrptDNSError:
            row(.error, .tlsrpt, .noPolicyFound, "The _smtp._tls TXT lookup failed.",
                "Check the domain's name servers.")
        case .tlsrptSyntax:
            row(.error, .tlsrpt, .noPolicyFound, "The TLSRPTv1 record does not follow the RFC 8460 grammar.",
                "Write \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\".")
        case .tlsrptMissingRUA:
            row(.error, .tlsrpt, .noPolicyFound, "The TLSRPTv1 record has no rua field.",
                "Add \"rua=mailto:...\" or \"rua=https:...\".")
        case .tlsrptBadURI:
            row(.error, .tlsrpt, .noPolicyFound, "A rua URI is not a valid mailto: or https: URI.",
                "Use mailto: or https: URIs; percent-encode \",\", \"!\" and \";\".")
        case .tlsrptMultipleRecords:
            row(.error, .tlsrpt, .noPolicyFound, "More than one TLSRPTv1 record is published: none is used.",
                "Publish exactly one \"v=TLSRPTv1\" record at _smtp._tls.<domain>.")
        case .tlsrptMultipleRUA:
            row(.warning, .tlsrpt, .noPolicyFound, "The record has several rua fields; their URIs are merged.",
                "Put all URIs in one rua field, separated by commas.")
        case .tlsrptExtension:
            row(.info, .tlsrpt, .noPolicyFound, "The record carries an extension field, which senders ignore.")
        }
    }
}
