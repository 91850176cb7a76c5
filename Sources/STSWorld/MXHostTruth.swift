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
    /// The first IPv4 address (after CNAMEs), empty when there is none.
    public let address: String
    /// The `mx-tls` finding the probe reports, nil when STARTTLS and the certificate validate.
    public let outcome: FindingCode?

    public static let header = ["domain", "preference", "host", "address", "outcome"]
    public static let fileName = "mx-hosts.csv"

    var cells: [String] { [domain, String(preference), host, address, outcome?.rawValue ?? ""] }

    public init(domain: String, preference: Int, host: String, address: String, outcome: FindingCode?) {
        self.domain = domain
        self.preference = preference
        self.host = host
        self.address = address
        self.outcome = outcome
    }

    /// Reads `mx-hosts.csv`. Throws `WorldError.badTruthFile` on a wrong header or row.
    public static func read(_ url: URL) throws -> [MXHostTruth] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [MXHostTruth] = []
        for (number, line) in text.split(separator: "\n").enumerated() {
            let cells = CSV.split(String(line))
            if number == 0 {
                guard cells == header else { throw WorldError.badTruthFile(url.path, "unexpected header \(line)") }
                continue
            }
            guard cells.count == header.count, let preference = Int(cells[1]),
                  cells[4].isEmpty || FindingCode(rawValue: cells[4]) != nil else {
                throw WorldError.badTruthFile(url.path, "line \(number + 1) malformed")
            }
            rows.append(MXHostTruth(domain: cells[0], preference: preference, host: cells[2], address: cells[3],
                                    outcome: cells[4].isEmpty ? nil : FindingCode(rawValue: cells[4])))
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
            let (address, outcome) = probe(host, plan: plan, addresses: addresses)
            list.append(MXHostTruth(domain: domain, preference: preference, host: host, address: address, outcome: outcome))
        }
        return list.sorted { ($0.preference, $0.host) < ($1.preference, $1.host) }
    }

    private static func probe(_ host: String, plan: DomainPlan,
                              addresses a: WorldAddresses) -> (address: String, outcome: FindingCode?) {
        if isIPv4Literal(host) { return ("", .mxIPLiteral) }
        guard let address = address(of: host, plan: plan, addresses: a) else {
            let exists = plan.records.contains { $0.owner == host }
            return ("", exists ? .mxHostNoAddress : .mxHostNXDomain)
        }
        switch address {
        case a.refusedMailIP: return (address, .mxConnectRefused)
        case a.tarpitMailIP: return (address, .mxGreetingTimeout)
        case a.rejectingMailIP: return (address, .mxSMTPError)
        case a.noStartTLSMailIP: return (address, .mxStartTLSMissing)
        case a.handshakeFailMailIP: return (address, .mxTLSHandshakeFailed)
        default: break
        }
        // Ordinary smtpd: the certificate the SNI table gives the name.
        if Providers.mailA.contains(host) || Providers.mailB.contains(host) || host.hasSuffix("." + Providers.tenantSuffix) {
            return (address, nil)
        }
        guard let cert = plan.mailHosts.first(where: { $0.host == host })?.cert else {
            return (address, .mxCertNameMismatch)  // the default certificate names the providers only
        }
        switch cert {
        case .valid, .longChain: return (address, nil)
        case .expired: return (address, .mxCertExpired)
        case .notYetValid: return (address, .mxCertNotYetValid)
        case .selfSigned, .unknownCA: return (address, .mxCertUntrusted)
        case .wrongName: return (address, .mxCertNameMismatch)
        case .none: return (address, .mxTLSHandshakeFailed)
        }
    }

    /// The A record of `host`, following one CNAME to a provider host.
    static func address(of host: String, plan: DomainPlan, addresses: WorldAddresses) -> String? {
        let own = plan.records.filter { $0.owner == host }
        if let a = own.first(where: { $0.type == "A" }) { return a.data }
        if let cname = own.first(where: { $0.type == "CNAME" }) {
            let target = String(cname.data.dropLast())
            return Providers.records(addresses).first { $0.owner == target && $0.type == "A" }?.data
        }
        return Providers.records(addresses).first { $0.owner == host && $0.type == "A" }?.data
    }

    /// Four decimal labels of at most three digits: what an MX record naming an IPv4
    /// address looks like as a domain name.
    static func isIPv4Literal(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == 4 && labels.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }
}
