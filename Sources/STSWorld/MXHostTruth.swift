import Foundation
import STSCore

/// One line of `mx-hosts.csv`: an MX host of a domain the scanner probes (its `delivery`
/// is not NULL), where the world serves it and what its STARTTLS probe must find. Derived
/// from the domain's plan (its DNS records and certificates) and the world's addresses.
public struct MXHostTruth: Sendable, Equatable {
    public let domain: String
    public let preference: Int
    /// The MX record's target as published (lower case, no root dot).
    public let host: String
    /// The address whose session gives the outcome: the last one a sender tries (after
    /// CNAMEs; IPv4 in answer order, then IPv6 when routable; RFC 5321 §5.1). Empty when
    /// there is none.
    public let address: String
    /// The `mx-tls` finding the probe reports, nil when STARTTLS and the certificate validate.
    public let outcome: FindingCode?
    /// Every address tried, in order, as `mx_probes.attempts` stores them (`ADDR outcome`
    /// joined by `, `); empty when none is tried. nil in files written before the column.
    public let attempts: String?

    public static let header = ["domain", "preference", "host", "address", "outcome", "attempts"]
    /// The header before `attempts` (worlds built before issue 20), still read.
    static let headerWithoutAttempts = Array(header.dropLast())
    public static let fileName = "mx-hosts.csv"

    var cells: [String] { [domain, String(preference), host, address, outcome?.rawValue ?? "", attempts ?? ""] }

    public init(domain: String, preference: Int, host: String, address: String, outcome: FindingCode?,
                attempts: String? = nil) {
        self.domain = domain
        self.preference = preference
        self.host = host
        self.address = address
        self.outcome = outcome
        self.attempts = attempts
    }

    /// Reads `mx-hosts.csv`. Throws `WorldError.badTruthFile` on a wrong header or row.
    public static func read(_ url: URL) throws -> [MXHostTruth] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [MXHostTruth] = []
        var columns = header.count
        for (number, line) in text.split(separator: "\n").enumerated() {
            let cells = CSV.split(String(line))
            if number == 0 {
                guard cells == header || cells == headerWithoutAttempts else {
                    throw WorldError.badTruthFile(url.path, "unexpected header \(line)")
                }
                columns = cells.count
                continue
            }
            guard cells.count == columns, let preference = Int(cells[1]),
                  cells[4].isEmpty || FindingCode(rawValue: cells[4]) != nil else {
                throw WorldError.badTruthFile(url.path, "line \(number + 1) malformed")
            }
            rows.append(MXHostTruth(domain: cells[0], preference: preference, host: cells[2], address: cells[3],
                                    outcome: cells[4].isEmpty ? nil : FindingCode(rawValue: cells[4]),
                                    attempts: columns > 5 ? cells[5] : nil))
        }
        return rows
    }

    /// The MX hosts of `domain` in probe order (preference, then name).
    static func hosts(of domain: String, plan: DomainPlan, addresses: WorldAddresses) -> [MXHostTruth] {
        var list: [MXHostTruth] = []
        for record in plan.records where record.owner == domain && record.type == "MX" {
            let parts = record.data.split(separator: " ")
            guard parts.count == 2, let preference = Int(parts[0]), parts[1] != "." else { continue }
            let host = String(parts[1].dropLast()).lowercased()
            let (address, outcome, attempts) = probe(host, plan: plan, addresses: addresses)
            list.append(MXHostTruth(domain: domain, preference: preference, host: host, address: address, outcome: outcome,
                                    attempts: attempts.joined(separator: ", ")))
        }
        return list.sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
    }

    /// What a sender meets at `host`: the addresses it tries (`ADDR outcome`) until one gives
    /// an SMTP session, at most three (RFC 5321 §5.1); the last one decides. Only refused
    /// connections and missing greetings move on (the scanner's `AddressOrder`).
    private static func probe(_ host: String, plan: DomainPlan,
                              addresses a: WorldAddresses) -> (address: String, outcome: FindingCode?, attempts: [String]) {
        if isIPv4Literal(host) { return ("", .mxIPLiteral, []) }
        let (ipv4, ipv6) = addressRecords(of: host, plan: plan, addresses: a)
        let candidates = Array((ipv4 + (WorldAddresses.ipv6Routable ? ipv6 : [])).prefix(3))
        guard !candidates.isEmpty else {
            if !ipv6.isEmpty { return ("", .mxHostIPv6Only, []) }
            let exists = plan.records.contains { $0.owner == host }
            return ("", exists ? .mxHostNoAddress : .mxHostNXDomain, [])
        }
        var attempts: [String] = []
        var outcome: FindingCode?
        for address in candidates {
            outcome = Self.outcome(host, at: address, plan: plan, addresses: a)
            attempts.append("\(address) \(outcome?.rawValue ?? "ok")")
            guard outcome == .mxConnectRefused || outcome == .mxGreetingTimeout else { break }
        }
        return (candidates[attempts.count - 1], outcome, attempts)
    }

    /// The outcome of one address: a scenario server's, or the certificate an ordinary smtpd
    /// presents for the name (its address's, or the SNI table's).
    private static func outcome(_ host: String, at address: String, plan: DomainPlan, addresses a: WorldAddresses) -> FindingCode? {
        switch address {
        case a.refusedMailIP: return .mxConnectRefused
        case a.tarpitMailIP: return .mxGreetingTimeout
        case a.rejectingMailIP: return .mxSMTPError
        case a.noStartTLSMailIP: return .mxStartTLSMissing
        case a.handshakeFailMailIP: return .mxTLSHandshakeFailed
        default: break
        }
        if Providers.mailA.contains(host) || Providers.mailB.contains(host) || host.hasSuffix("." + Providers.tenantSuffix) {
            return nil
        }
        guard let cert = plan.mailHosts.first(where: { $0.host == host })?.cert else {
            return .mxCertNameMismatch  // the default certificate names the providers only
        }
        switch cert {
        case .valid, .longChain: return nil
        case .expired: return .mxCertExpired
        case .notYetValid: return .mxCertNotYetValid
        case .selfSigned, .unknownCA: return .mxCertUntrusted
        case .wrongName: return .mxCertNameMismatch
        case .none: return .mxTLSHandshakeFailed
        }
    }

    /// The A and AAAA records of `host` in published order, following one CNAME to a
    /// provider host.
    static func addressRecords(of host: String, plan: DomainPlan, addresses: WorldAddresses) -> (ipv4: [String], ipv6: [String]) {
        var own = plan.records.filter { $0.owner == host }
        if let cname = own.first(where: { $0.type == "CNAME" }) {
            let target = String(cname.data.dropLast())
            own = Providers.records(addresses).filter { $0.owner == target }
        } else if own.isEmpty {
            own = Providers.records(addresses).filter { $0.owner == host }
        }
        return (own.filter { $0.type == "A" }.map(\.data), own.filter { $0.type == "AAAA" }.map(\.data))
    }

    /// The address where a sender's session with `host` happens (the last address it
    /// tries; its certificate is that address's), else its first A record; nil when none.
    static func address(of host: String, plan: DomainPlan, addresses: WorldAddresses) -> String? {
        let verdict = probe(host, plan: plan, addresses: addresses).address
        return verdict.isEmpty ? addressRecords(of: host, plan: plan, addresses: addresses).ipv4.first : verdict
    }

    /// Four decimal labels of at most three digits: what an MX record naming an IPv4
    /// address looks like as a domain name.
    static func isIPv4Literal(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == 4 && labels.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }
}
