import STSCore

/// Turns a scenario and a domain name into the DNS records, faults, web content and
/// expected outcome for that domain. The expectations follow docs/architecture.md and
/// rfc8461-8460-rules.md under the scan settings in `WorldManifest.Scan`.
struct ScenarioPlanner: Sendable {
    let addresses: WorldAddresses

    static let defaultMaxAge = 604_800

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func plan(_ scenario: Scenario, domain d: String, rng: inout SplitMix64) -> DomainPlan {
        switch scenario {
        // MARK: non-adopting
        case .mxOnly, .mxOnlyTLSRPT, .dnsTimeoutMX, .dnsServfailMX:
            var plan = DomainPlan()
            plan.records += someMX(d, rng: &rng)
            if scenario == .mxOnlyTLSRPT {
                plan.records.append(tlsrpt(d, "v=TLSRPTv1; rua=mailto:tls-reports@\(d)"))
                plan.expectation.tlsrptRecord = .valid
            }
            if scenario == .dnsTimeoutMX {
                plan.faults.append((d, .drop))
                plan.expectation.mxStatus = .timeout
                plan.expectation.errorCode = .mxDNSTimeout
            }
            if scenario == .dnsServfailMX {
                plan.faults.append((d, .servfail))
                plan.expectation.mxStatus = .servfail
                plan.expectation.errorCode = .mxDNSServfail
            }
            return plan
        case .noMX:
            var plan = DomainPlan()
            plan.records.append(ZoneRecord(owner: d, type: "A", data: addresses.mailIP))
            plan.expectation.mxStatus = .nodata
            return plan
        case .nxdomain:
            var plan = DomainPlan()
            plan.expectation.mxStatus = .nxdomain
            plan.expectation.errorCode = .domainNXDomain
            return plan
        case .nullMX:
            var plan = DomainPlan()
            plan.records.append(ZoneRecord(owner: d, type: "MX", data: "0 ."))
            return plan

        // MARK: common valid
        case .validEnforce:
            return deployment(d, rng: &rng, mode: .enforce, eol: "\r\n", tlsrptChance: 0.6)
        case .validTesting:
            return deployment(d, rng: &rng, mode: .testing, eol: "\n", tlsrptChance: 0.6)
        case .validNone:
            return deployment(d, rng: &rng, mode: .none, eol: "\n", tlsrptChance: 0.3)
        case .validEnforceWildcard:
            return deployment(d, rng: &rng, mode: .enforce, eol: "\r\n", tlsrptChance: 0.6,
                              patterns: ["*.\(d)"], mxHosts: ["mail.\(d)"])

        // MARK: valid with a twist
        case .validUnknownKeys:
            return deployment(d, rng: &rng, extraLines: ["comment: managed by world", "Mode: testing"])
        case .validDuplicateFields:
            // The first occurrence wins: mode enforce, max_age 604800.
            return deployment(d, rng: &rng, extraLines: ["mode: testing", "max_age: 86400"])
        case .validTXTExtension:
            return deployment(d, rng: &rng, txt: { ["v=STSv1; id=\($0); ext-field=some.value"] })
        case .validUnrelatedTXT:
            var plan = deployment(d, rng: &rng)
            plan.records.append(ZoneRecord(owner: "_mta-sts.\(d)", type: "TXT",
                                           data: ZoneText.quoted(["google-site-verification=\(token(&rng, 20))"])))
            return plan
        case .validLookalikeTXT:
            // rfc8461-8460-rules.md §1, §6: look-alikes are discarded before counting, so the
            // good record beside them stays usable (not txt-multiple-records).
            var plan = deployment(d, rng: &rng, txt: {
                ["v=STSv1", "v=STSv1; id=\($0)", "v=STSv1 is not a policy", "V=STSv1; id=x\($0)"]
            })
            plan.records.append(tlsrpt(d, "v=TLSRPTv1"))
            return plan
        case .validMultiStringTXT:
            var plan = deployment(d, rng: &rng, txt: { _ in [] })
            let id = plan.expectation.stsID!
            plan.records.append(ZoneRecord(owner: "_mta-sts.\(d)", type: "TXT",
                                           data: ZoneText.quoted(["v=STSv1; ", "id=\(id)"])))
            return plan
        case .validSpaceBeforeDelimiter:
            return deployment(d, rng: &rng, txt: { ["v=STSv1 ; id=\($0)"] })
        case .validSTSCNAME:
            var plan = deployment(d, rng: &rng, txt: { _ in [] })
            plan.records.append(ZoneRecord(owner: "_mta-sts.\(d)", type: "CNAME", data: Providers.stsRecordHost + "."))
            plan.expectation.stsID = Providers.stsRecordID
            return plan
        case .validHostCNAME:
            var plan = deployment(d, rng: &rng)
            plan.records.removeAll { $0.owner == "mta-sts.\(d)" }
            plan.records.append(ZoneRecord(owner: "mta-sts.\(d)", type: "CNAME", data: Providers.policyHost + "."))
            return plan
        case .validMaxAgeZero:
            return deployment(d, rng: &rng, maxAge: "0", expectedMaxAge: 0)
        case .validMaxAgeMax:
            return deployment(d, rng: &rng, maxAge: "31557600", expectedMaxAge: 31_557_600)
        case .validMaxAgeLeadingZeros:
            return deployment(d, rng: &rng, maxAge: "0000604800", expectedMaxAge: 604_800)
        case .validBlankLine:
            return deployment(d, rng: &rng, eol: "\n", blankLine: true)
        case .validNoFinalNewline:
            return deployment(d, rng: &rng, eol: "\n", finalNewline: false)
        case .validManyMX:
            var filler: [String] = []
            var size = 200
            var n = 0
            while size < 60_000 {
                let line = "mx: m\(n).\(d)"
                filler.append(line)
                size += line.utf8.count + 1
                n += 1
            }
            return deployment(d, rng: &rng, eol: "\n", extraLines: filler)
        case .validBigTXT:
            var plan = deployment(d, rng: &rng)
            for n in 0..<24 {
                plan.records.append(ZoneRecord(owner: "_mta-sts.\(d)", type: "TXT",
                                               data: ZoneText.quoted(["filler-\(n)-" + token(&rng, 200)])))
            }
            return plan
        case .validDNSTruncated:
            var plan = deployment(d, rng: &rng)
            plan.faults.append(("_mta-sts.\(d)", .truncate))
            return plan
        case .validIDN:
            return deployment(d, rng: &rng, patterns: ["*.\(d)"], mxHosts: ["mx1.\(d)", "mx2.\(d)"])
        case .validIDNTLD:
            let mailHost = DomainNamer.aLabel("почта") + "." + d
            var plan = deployment(d, rng: &rng, patterns: [mailHost], mxHosts: [mailHost])
            plan.records.append(ZoneRecord(owner: "www.\(d)", type: "A", data: addresses.mailIP))
            return plan

        // MARK: TXT failures
        case .txtMissingID: return txtFailure(d, rng: &rng, .txtMissingID) { _ in ["v=STSv1;"] }
        case .txtInvalidID: return txtFailure(d, rng: &rng, .txtInvalidID) { _ in ["v=STSv1; id=2024-01-01"] }
        case .txtIDTooLong:
            let long = token(&rng, 33)
            return txtFailure(d, rng: &rng, .txtIDTooLong) { _ in ["v=STSv1; id=\(long)"] }
        case .txtVersionNotFirst: return txtFailure(d, rng: &rng, .txtVersionNotFirst) { ["id=\($0); v=STSv1"] }
        case .txtSTSv2: return txtFailure(d, rng: &rng, .txtNotSTSv1) { ["v=STSv2; id=\($0)"] }
        case .txtLowercaseVersion: return txtFailure(d, rng: &rng, .txtNotSTSv1) { ["v=stsv1; id=\($0)"] }
        case .txtTwoRecords:
            return txtFailure(d, rng: &rng, .txtMultipleRecords) { ["v=STSv1; id=\($0)", "v=STSv1; id=\($0)b"] }

        // MARK: policy host and fetch failures
        case .fetchHostNXDomain:
            var plan = fetchFailure(d, rng: &rng, .policyHostNXDomain)
            plan.records.removeAll { $0.owner == "mta-sts.\(d)" }
            plan.web = nil
            return plan
        case .fetchHostNoAddress:
            var plan = fetchFailure(d, rng: &rng, .policyHostNoAddress)
            plan.records.removeAll { $0.owner == "mta-sts.\(d)" }
            plan.records.append(ZoneRecord(owner: "mta-sts.\(d)", type: "TXT", data: ZoneText.quoted(["no address here"])))
            plan.web = nil
            return plan
        case .fetchRefused:
            var plan = fetchFailure(d, rng: &rng, .connectRefused)
            plan.records.removeAll { $0.owner == "mta-sts.\(d)" }
            plan.records.append(ZoneRecord(owner: "mta-sts.\(d)", type: "A", data: addresses.refusedIP))
            plan.web = nil
            return plan
        case .fetchTLSHandshake: return fetchFailure(d, rng: &rng, .tlsHandshakeFailed) { $0.cert = .none }
        case .fetchCertExpired: return fetchFailure(d, rng: &rng, .certExpired) { $0.cert = .expired }
        case .fetchCertWrongName: return fetchFailure(d, rng: &rng, .certNameMismatch) { $0.cert = .wrongName }
        case .fetchCertSelfSigned: return fetchFailure(d, rng: &rng, .certUntrusted) { $0.cert = .selfSigned }
        case .fetchCertUnknownCA: return fetchFailure(d, rng: &rng, .certUntrusted) { $0.cert = .unknownCA }
        case .fetch404: return fetchFailure(d, rng: &rng, .httpNotFound) { $0.body = nil }
        case .fetch500: return fetchFailure(d, rng: &rng, .httpStatus) { $0.serve = .status500 }
        case .fetch301: return fetchFailure(d, rng: &rng, .httpRedirect) { $0.serve = .redirect }
        case .fetchTextHTML: return fetchFailure(d, rng: &rng, .httpContentType) { $0.serve = .html }
        case .fetchBodyTooLarge:
            return fetchFailure(d, rng: &rng, .httpBodyTooLarge) { web in
                var body = web.body!
                while body.count <= 100_000 {
                    body += Array("x-padding: \(String(repeating: "a", count: 120))\n".utf8)
                }
                web.body = body
            }
        case .fetchSlowSleep: return fetchFailure(d, rng: &rng, .fetchTimeout) { $0.serve = .sleep }
        case .fetchSlowDrip:
            return fetchFailure(d, rng: &rng, .fetchTimeout) { web in
                // About 8 KB at the drip rate of the nginx config: many times the fetch timeout.
                var body = web.body!
                while body.count < 8_000 { body += Array("x-padding: \(String(repeating: "b", count: 60))\n".utf8) }
                web.body = body
                web.serve = .drip
            }

        // MARK: policy body failures
        case .policyEmpty:
            return policyFailure(d, rng: &rng, .policyEmpty, mode: nil, maxAge: nil) { _ in [] }
        case .policyMissingVersion:
            return policyFailure(d, rng: &rng, .policyMissingVersion) { mx in
                ["mode: enforce"] + mx + ["max_age: 604800"]
            }
        case .policyBadVersion:
            return policyFailure(d, rng: &rng, .policyBadVersion) { mx in
                ["version: STSv2", "mode: enforce"] + mx + ["max_age: 604800"]
            }
        case .policyMissingMode:
            return policyFailure(d, rng: &rng, .policyMissingMode, mode: nil) { mx in
                ["version: STSv1"] + mx + ["max_age: 604800"]
            }
        case .policyBadMode:
            return policyFailure(d, rng: &rng, .policyBadMode, mode: nil) { mx in
                ["version: STSv1", "mode: enforcing"] + mx + ["max_age: 604800"]
            }
        case .policyMissingMaxAge:
            return policyFailure(d, rng: &rng, .policyMissingMaxAge, maxAge: nil) { mx in
                ["version: STSv1", "mode: enforce"] + mx
            }
        case .policyMaxAgeTooLarge:
            return policyFailure(d, rng: &rng, .policyMaxAge, maxAge: nil) { mx in
                ["version: STSv1", "mode: enforce"] + mx + ["max_age: 31557601"]
            }
        case .policyMaxAgeNonNumeric:
            return policyFailure(d, rng: &rng, .policyMaxAgeSyntax, maxAge: nil) { mx in
                ["version: STSv1", "mode: enforce"] + mx + ["max_age: 1w"]
            }
        case .policyEnforceNoMX:
            return policyFailure(d, rng: &rng, .policyMissingMX) { _ in
                ["version: STSv1", "mode: enforce", "max_age: 604800"]
            }
        case .policySyntax:
            return policyFailure(d, rng: &rng, .policySyntax) { mx in
                ["version: STSv1", "mode: enforce"] + mx + ["note : space before the colon", "max_age: 604800"]
            }
        case .policyHTMLAsText:
            return policyFailure(d, rng: &rng, .policyHTML, mode: nil, maxAge: nil) { _ in
                ["<!DOCTYPE html>", "<html><head><title>Welcome</title></head>",
                 "<body><h1>It works!</h1></body></html>"]
            }
        case .policyBinary:
            var plan = policyFailure(d, rng: &rng, .policyInvalidUTF8, mode: nil, maxAge: nil) { _ in [] }
            var bytes: [UInt8] = [0x00, 0xFF, 0xFE, 0x80, 0xC3, 0x28]
            for _ in 0..<500 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            plan.web?.body = bytes
            return plan
        case .policyScript:
            return policyFailure(d, rng: &rng, .policyBadMX) { mx in
                ["version: STSv1", "mode: enforce"] + mx + ["mx: <script>alert(document.cookie)</script>",
                                                            "max_age: 604800"]
            }
        case .policyANSI:
            return policyFailure(d, rng: &rng, .policyInvalidUTF8, mode: nil, maxAge: nil) { mx in
                ["version: STSv1", "mode: enforce", "\u{1B}[2J\u{1B}[31m" + mx[0] + "\u{1B}[0m"]
                    + mx.dropFirst() + ["max_age: 604800"]
            }
        case .policyHugeMXList:
            // 10,000 mx lines cannot fit in 64 KiB: the size cap decides before the parser.
            return fetchFailure(d, rng: &rng, .httpBodyTooLarge) { web in
                var lines = ["version: STSv1", "mode: enforce", "max_age: 604800"]
                for n in 0..<10_000 { lines.append("mx: mx\(n).\(d)") }
                web.body = Array((lines.joined(separator: "\n") + "\n").utf8)
            }

        // MARK: MX coverage
        case .mxCoverageSome:
            // Provider B's host passes TLS but is not covered: degraded, a warning only.
            var plan = deployment(d, rng: &rng, mxHosts: ["mx1.\(d)", "mx2.\(d)"])
            plan.records.append(ZoneRecord(owner: d, type: "MX", data: "30 \(Providers.mailB[0])."))
            plan.expectation.mxCoverage = .some
            plan.expectation.delivery = .degraded
            return plan
        case .mxCoverageNone:
            var plan = deployment(d, rng: &rng, patterns: ["mail.elsewhere-mail.org"])
            plan.expectation.mxCoverage = MXCoverage.none
            plan.expectation.errorCode = .mxNotCovered
            plan.expectation.delivery = .fails
            return plan
        case .mxWildcardTrap:
            // `*.d` covers exactly one label: a.b.d and c.b.d are not covered.
            var plan = deployment(d, rng: &rng, patterns: ["*.\(d)"], mxHosts: ["a.b.\(d)", "c.b.\(d)"])
            plan.expectation.mxCoverage = MXCoverage.none
            plan.expectation.errorCode = .mxNotCovered
            plan.expectation.delivery = .fails
            return plan

        // MARK: MX hosts and STARTTLS
        case .mxProviderShared:
            return deployment(d, rng: &rng, mail: .providerA)
        case .mxProviderTenant:
            return deployment(d, rng: &rng, mail: d.hasPrefix("xn--") ? .providerB : .tenant)
        case .mxSelfHosted:
            return deployment(d, rng: &rng, mxHosts: ["mx1.\(d)", "mx2.\(d)"])
        case .mxCertExpired: return mxFailure(d, rng: &rng, .mxCertExpired, cert: .expired)
        case .mxCertNotYetValid: return mxFailure(d, rng: &rng, .mxCertNotYetValid, cert: .notYetValid)
        case .mxCertSelfSigned: return mxFailure(d, rng: &rng, .mxCertUntrusted, cert: .selfSigned)
        case .mxCertUnknownCA: return mxFailure(d, rng: &rng, .mxCertUntrusted, cert: .unknownCA)
        case .mxCertWrongName: return mxFailure(d, rng: &rng, .mxCertNameMismatch, cert: .wrongName)
        case .mxNoSTARTTLS: return mxFailure(d, rng: &rng, .mxStartTLSMissing, address: addresses.noStartTLSMailIP)
        case .mxConnectRefused: return mxFailure(d, rng: &rng, .mxConnectRefused, address: addresses.refusedMailIP)
        case .mxTarpit: return mxFailure(d, rng: &rng, .mxGreetingTimeout, address: addresses.tarpitMailIP)
        case .mxTLSHandshake:
            return mxFailure(d, rng: &rng, .mxTLSHandshakeFailed, address: addresses.handshakeFailMailIP)
        case .mxSMTP5xx: return mxFailure(d, rng: &rng, .mxSMTPError, address: addresses.rejectingMailIP)
        case .mxTestingBroken:
            return mxFailure(d, rng: &rng, .mxStartTLSMissing, mode: .testing, address: addresses.noStartTLSMailIP)
        case .mxOneBroken:
            // The backup's certificate lapsed: mail still flows through mx1.
            var plan = deployment(d, rng: &rng, mxHosts: ["mx1.\(d)", "mx2.\(d)"])
            plan.mailHosts[1].cert = .expired
            plan.expectation.errorCode = .mxCertExpired
            plan.expectation.delivery = .degraded
            return plan
        case .mxBackupUncovered:
            // A backup MX with valid TLS that the policy forgot: uncovered, so it fails.
            var plan = deployment(d, rng: &rng, mxHosts: ["mx1.\(d)"])
            let backup = "backup.\(d)"
            plan.records += [ZoneRecord(owner: d, type: "MX", data: "50 \(backup)."),
                             ZoneRecord(owner: backup, type: "A", data: selfHostedIP(backup))]
            plan.mailHosts.append(MailHostPlan(host: backup))
            plan.expectation.mxCoverage = .some
            plan.expectation.delivery = .degraded
            return plan
        case .mxIPLiteral:
            // A second MX record naming an address: no pattern can cover it, no TLS name fits it.
            var plan = deployment(d, rng: &rng, mxHosts: ["mx1.\(d)"])
            plan.records.append(ZoneRecord(owner: d, type: "MX", data: "20 \(addresses.mailIP)."))
            plan.expectation.mxCoverage = .some
            plan.expectation.errorCode = .mxIPLiteral
            plan.expectation.delivery = .degraded
            return plan
        case .mxCNAME:
            // mx.d is an alias of a hosting box; TLS still names mx.d (the MX target).
            var plan = deployment(d, rng: &rng, mxHosts: ["mx.\(d)"])
            plan.records.removeAll { $0.owner == "mx.\(d)" }
            plan.records.append(ZoneRecord(owner: "mx.\(d)", type: "CNAME", data: Providers.cnameMailTarget + "."))
            return plan
        case .mxHostNoAddress:
            var plan = mxFailure(d, rng: &rng, .mxHostNoAddress)
            plan.records.removeAll { $0.owner == "mail.\(d)" }
            plan.records.append(ZoneRecord(owner: "mail.\(d)", type: "TXT", data: ZoneText.quoted(["no address here"])))
            plan.mailHosts = []
            return plan
        case .mxHostNXDomain:
            var plan = mxFailure(d, rng: &rng, .mxHostNXDomain)
            plan.records.removeAll { $0.owner == "mail.\(d)" }
            plan.mailHosts = []
            return plan
        case .mxLongChain:
            // A valid certificate sent with 99 intermediates (100 certificates): hostile in
            // size only; a scanner must cope and find it valid.
            var plan = deployment(d, rng: &rng, mxHosts: ["mail.\(d)"])
            plan.mailHosts[0].cert = .longChain
            return plan
        case .mxNullEnforce:
            // Stopped receiving mail (RFC 7505 null MX) but kept the policy: nothing to probe.
            var plan = deployment(d, rng: &rng, mxHosts: ["mail.\(d)"])
            plan.records.removeAll { $0.owner == "mail.\(d)" || ($0.owner == d && $0.type == "MX") }
            plan.records.append(ZoneRecord(owner: d, type: "MX", data: "0 ."))
            plan.mailHosts = []
            plan.expectation.mxCoverage = nil
            plan.expectation.delivery = nil
            return plan
        case .mxFirstAddressDead:
            // A sender moves on from the refusing address to the next one (RFC 5321 §5.1):
            // delivery ok. The dead address (.8) also sorts first, whatever the server's order.
            let host = "mail.\(d)"
            var plan = deployment(d, rng: &rng, mxHosts: [host])
            plan.records.removeAll { $0.owner == host }
            plan.records += [ZoneRecord(owner: host, type: "A", data: addresses.refusedMailIP),
                             ZoneRecord(owner: host, type: "A", data: selfHostedIP(host))]
            return plan
        case .mxIPv6Only:
            // Reached over IPv6 where the machine routes ::1; otherwise no sender here can.
            let host = "mail.\(d)"
            var plan = deployment(d, rng: &rng, mxHosts: [host])
            plan.records.removeAll { $0.owner == host }
            plan.records.append(ZoneRecord(owner: host, type: "AAAA", data: addresses.ipv6MailIP))
            if !WorldAddresses.ipv6Routable {
                plan.expectation.errorCode = .mxHostIPv6Only
                plan.expectation.delivery = .fails
            }
            return plan
        case .validHostFirstAddressDead:
            // The fetch moves on from the refusing address to the one that serves the policy.
            var plan = deployment(d, rng: &rng)
            plan.records.removeAll { $0.owner == "mta-sts.\(d)" }
            plan.records += [ZoneRecord(owner: "mta-sts.\(d)", type: "A", data: addresses.refusedIP),
                             ZoneRecord(owner: "mta-sts.\(d)", type: "A", data: addresses.httpsIP)]
            return plan

        // MARK: TLS-RPT
        case .tlsrptHTTPS:
            return withTLSRPT(deployment(d, rng: &rng), d, ["v=TLSRPTv1; rua=https://tlsrpt.\(d)/v1/report"], nil)
        case .tlsrptMultipleURIs:
            return withTLSRPT(deployment(d, rng: &rng), d,
                              ["v=TLSRPTv1; rua=mailto:tls@\(d),https://reports.\(d)/tlsrpt"], nil)
        case .tlsrptMissingRUA:
            return withTLSRPT(deployment(d, rng: &rng), d, ["v=TLSRPTv1; ruf=mailto:tls@\(d)"], .tlsrptMissingRUA)
        case .tlsrptBadURI:
            return withTLSRPT(deployment(d, rng: &rng), d, ["v=TLSRPTv1; rua=ftp://reports.\(d)/tlsrpt"], .tlsrptBadURI)
        case .tlsrptTwoRecords:
            return withTLSRPT(deployment(d, rng: &rng), d,
                              ["v=TLSRPTv1; rua=mailto:a@\(d)", "v=TLSRPTv1; rua=mailto:b@\(d)"],
                              .tlsrptMultipleRecords)

        // MARK: DNS faults
        case .dnsTimeoutTXT, .dnsServfailTXT:
            var plan = deployment(d, rng: &rng)
            let timeout = scenario == .dnsTimeoutTXT
            plan.faults.append(("_mta-sts.\(d)", timeout ? .drop : .servfail))
            plan.expectation = Expectation(stsRecord: .error, tlsrptRecord: .valid,
                                           errorCode: timeout ? .txtDNSTimeout : .txtDNSServfail)
            return plan
        case .dnsTimeoutPolicyHost, .dnsServfailPolicyHost:
            let timeout = scenario == .dnsTimeoutPolicyHost
            var plan = fetchFailure(d, rng: &rng, timeout ? .policyHostDNSTimeout : .policyHostDNSServfail)
            plan.faults.append(("mta-sts.\(d)", timeout ? .drop : .servfail))
            return plan
        case .dnsTimeoutTLSRPT, .dnsServfailTLSRPT:
            var plan = deployment(d, rng: &rng)
            let timeout = scenario == .dnsTimeoutTLSRPT
            plan.faults.append(("_smtp._tls.\(d)", timeout ? .drop : .servfail))
            plan.expectation.tlsrptRecord = .error
            plan.expectation.errorCode = timeout ? .tlsrptDNSTimeout : .tlsrptDNSServfail
            return plan
        }
    }

    // MARK: building blocks

    /// A complete, valid deployment: MX hosts with addresses (`mxHosts`: self-hosted with
    /// valid certificates; else the provider/tenant/self-hosted mix, or `mail`), `_mta-sts`
    /// TXT, policy host on the HTTPS server with a valid certificate, policy file, TLS-RPT
    /// record. Delivery `ok` unless the mode is `none`.
    private func deployment(_ d: String, rng: inout SplitMix64, mode: PolicyMode = .enforce, eol: String = "\r\n",
                            tlsrptChance: Double = 1.0, patterns: [String]? = nil, mxHosts: [String]? = nil,
                            mail: MailChoice? = nil,
                            maxAge: String = "604800", expectedMaxAge: Int = defaultMaxAge,
                            extraLines: [String] = [], blankLine: Bool = false, finalNewline: Bool = true,
                            txt: (String) -> [String] = { ["v=STSv1; id=\($0)"] }) -> DomainPlan {
        var plan = DomainPlan()
        let setup = mxHosts.map(selfHosted) ?? ordinaryMail(d, mail ?? pickMail(d, rng: &rng))
        let hosts = setup.hosts
        for (n, host) in hosts.enumerated() {
            plan.records.append(ZoneRecord(owner: d, type: "MX", data: "\(10 * (n + 1)) \(host)."))
        }
        plan.records += setup.records
        plan.mailHosts = setup.mailHosts
        let id = stsID(&rng)
        for text in txt(id) {
            plan.records.append(ZoneRecord(owner: "_mta-sts.\(d)", type: "TXT", data: ZoneText.quoted([text])))
        }
        plan.records.append(ZoneRecord(owner: "mta-sts.\(d)", type: "A", data: addresses.httpsIP))
        var lines = ["version: STSv1", "mode: \(mode.rawValue)"]
        if blankLine { lines.append("") }
        if mode != PolicyMode.none { lines += (patterns ?? setup.patterns).map { "mx: \($0)" } }
        lines.append("max_age: \(maxAge)")
        lines += extraLines
        plan.web = WebPlan(host: "mta-sts.\(d)", body: body(lines, eol: eol, finalNewline: finalNewline))
        let hasTLSRPT = tlsrptChance >= 1 || rng.unit() < tlsrptChance
        if hasTLSRPT { plan.records.append(tlsrpt(d, "v=TLSRPTv1; rua=mailto:tlsrpt@\(d)")) }
        plan.expectation = Expectation(stsRecord: .valid, stsID: id, policyStatus: .valid, mode: mode,
                                       maxAge: expectedMaxAge, mxCoverage: mode == PolicyMode.none ? nil : .all,
                                       tlsrptRecord: hasTLSRPT ? .valid : .absent,
                                       delivery: mode == PolicyMode.none ? nil : .ok)
        return plan
    }

    /// A deployment whose TXT record is unusable: nothing is fetched.
    private func txtFailure(_ d: String, rng: inout SplitMix64, _ code: FindingCode,
                            txt: (String) -> [String]) -> DomainPlan {
        var plan = deployment(d, rng: &rng, txt: txt)
        plan.expectation = Expectation(stsRecord: .invalid, tlsrptRecord: .valid, errorCode: code)
        return plan
    }

    /// A deployment with a valid record whose policy cannot be fetched.
    private func fetchFailure(_ d: String, rng: inout SplitMix64, _ code: FindingCode,
                              web change: (inout WebPlan) -> Void = { _ in }) -> DomainPlan {
        var plan = deployment(d, rng: &rng)
        change(&plan.web!)
        plan.expectation.policyStatus = .fetchError
        plan.expectation.mode = nil
        plan.expectation.maxAge = nil
        plan.expectation.mxCoverage = nil
        plan.expectation.errorCode = code
        plan.expectation.delivery = nil
        return plan
    }

    /// A deployment whose fetched policy body is invalid; `mode`/`maxAge` are what the
    /// scanner can still read from the body.
    private func policyFailure(_ d: String, rng: inout SplitMix64, _ code: FindingCode,
                               mode: PolicyMode? = .enforce, maxAge: Int? = defaultMaxAge,
                               lines: ([String]) -> [String]) -> DomainPlan {
        var plan = deployment(d, rng: &rng)
        let mx = ["mx: mx1.\(d)", "mx: mx2.\(d)"]
        let policyLines = lines(mx)
        plan.web!.body = policyLines.isEmpty ? [] : body(policyLines, eol: "\n", finalNewline: true)
        plan.expectation.policyStatus = .invalid
        plan.expectation.mode = mode
        plan.expectation.maxAge = maxAge
        plan.expectation.mxCoverage = nil
        plan.expectation.errorCode = code
        plan.expectation.delivery = nil
        return plan
    }

    /// A valid deployment with one MX host, `mail.<d>`, that fails the probe: its own bad
    /// certificate (`cert`) or a scenario server's address (`address`). Delivery fails.
    private func mxFailure(_ d: String, rng: inout SplitMix64, _ code: FindingCode, mode: PolicyMode = .enforce,
                           cert: CertKind = .valid, address: String? = nil) -> DomainPlan {
        let host = "mail.\(d)"
        var plan = deployment(d, rng: &rng, mode: mode, mxHosts: [host])
        plan.mailHosts[0].cert = cert
        if let address {
            plan.records.removeAll { $0.owner == host }
            plan.records.append(ZoneRecord(owner: host, type: "A", data: address))
        }
        plan.expectation.errorCode = code
        plan.expectation.delivery = .fails
        return plan
    }

    // MARK: mail hosts

    /// Who runs an ordinary deployment's mail.
    enum MailChoice {
        /// `mx1/mx2.mailhost-a.com`, pattern `*.mailhost-a.com`.
        case providerA
        /// `mx.mailhost-b.net`.
        case providerB
        /// `<tenant>.mail.protection.mailhost-t.com` on provider T's one address.
        case tenant
        /// `mail.<d>`.
        case selfSingle
        /// `mx1.<d>`, `mx2.<d>`.
        case selfPair
    }

    /// MX hosts, their address records, the policy patterns that cover them and the SNI
    /// certificates they need.
    struct MailSetup {
        var hosts: [String]
        var records: [ZoneRecord]
        var patterns: [String]
        var mailHosts: [MailHostPlan]
    }

    /// The mix of ordinary deployments: most on two shared providers, some on per-tenant
    /// names at a third provider's one address, the rest self-hosted. Keeps the distinct MX
    /// hosts of a 1M-domain 2 % world at a few thousand (`world build` prints the count).
    private func pickMail(_ d: String, rng: inout SplitMix64) -> MailChoice {
        switch rng.below(100) {
        case 0..<52: return .providerA
        case 52..<84: return .providerB
        case 84..<90: return d.hasPrefix("xn--") ? .providerA : .tenant
        case 90..<96: return .selfSingle
        default: return .selfPair
        }
    }

    private func ordinaryMail(_ d: String, _ choice: MailChoice) -> MailSetup {
        switch choice {
        case .providerA:
            return MailSetup(hosts: Providers.mailA, records: [], patterns: [Providers.mailAPattern], mailHosts: [])
        case .providerB:
            return MailSetup(hosts: Providers.mailB, records: [], patterns: Providers.mailB, mailHosts: [])
        case .tenant:
            let host = Providers.tenantMX(d)
            return MailSetup(hosts: [host], records: [ZoneRecord(owner: host, type: "A", data: addresses.tenantMailIP)],
                             patterns: [Providers.tenantPattern], mailHosts: [])
        case .selfSingle: return selfHosted(["mail.\(d)"])
        case .selfPair: return selfHosted(["mx1.\(d)", "mx2.\(d)"])
        }
    }

    /// Own MX hosts on the self-hosted addresses, each with a valid certificate naming it.
    private func selfHosted(_ hosts: [String]) -> MailSetup {
        MailSetup(hosts: hosts, records: hosts.map { ZoneRecord(owner: $0, type: "A", data: selfHostedIP($0)) },
                  patterns: hosts, mailHosts: hosts.map { MailHostPlan(host: $0) })
    }

    /// A self-hosted address chosen by the name (FNV-1a), stable across builds.
    private func selfHostedIP(_ host: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in host.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return addresses.selfHostedMailIP(Int(hash % UInt32(WorldAddresses.selfHostedMailAddresses)))
    }

    private func withTLSRPT(_ base: DomainPlan, _ d: String, _ records: [String], _ code: FindingCode?) -> DomainPlan {
        var plan = base
        plan.records.removeAll { $0.owner == "_smtp._tls.\(d)" }
        plan.records += records.map { tlsrpt(d, $0) }
        plan.expectation.tlsrptRecord = code == nil ? .valid : .invalid
        plan.expectation.errorCode = code
        return plan
    }

    /// MX records of a non-adopting domain: a shared mail provider or its own host.
    private func someMX(_ d: String, rng: inout SplitMix64) -> [ZoneRecord] {
        switch rng.below(10) {
        case 0..<4:
            return Providers.mailA.enumerated().map { ZoneRecord(owner: d, type: "MX", data: "\(10 * ($0 + 1)) \($1).") }
        case 4..<7:
            return [ZoneRecord(owner: d, type: "MX", data: "10 \(Providers.mailB[0]).")]
        default:
            return [ZoneRecord(owner: d, type: "MX", data: "10 mail.\(d)."),
                    ZoneRecord(owner: "mail.\(d)", type: "A", data: addresses.mailIP)]
        }
    }

    private func tlsrpt(_ d: String, _ text: String) -> ZoneRecord {
        ZoneRecord(owner: "_smtp._tls.\(d)", type: "TXT", data: ZoneText.quoted([text]))
    }

    private func body(_ lines: [String], eol: String, finalNewline: Bool) -> [UInt8] {
        Array((lines.joined(separator: eol) + (finalNewline ? eol : "")).utf8)
    }

    /// A realistic policy id: a timestamp-like run of digits with a `T`.
    private func stsID(_ rng: inout SplitMix64) -> String {
        let date = 20_230_101 + rng.below(30_000)
        let time = rng.below(1_000_000)
        let timeText = String(time)
        return "\(date)T" + String(repeating: "0", count: 6 - timeText.count) + timeText
    }

    private func token(_ rng: inout SplitMix64, _ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet[rng.below(alphabet.count)] })
    }
}
