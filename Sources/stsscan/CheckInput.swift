import Foundation
import ArgumentParser

/// What people paste into `check`: a URL (`https://example.com/path`) or a mail address
/// (`admin@example.com`) means the domain in it; anything else is taken as the domain.
enum CheckInput {
    /// The domain to check and, when it was taken out of something longer, a sentence saying so.
    static func domain(_ input: String) throws -> (domain: String, note: String?) {
        let text = input.trimmingCharacters(in: .whitespaces)
        if let scheme = text.range(of: "://") {
            var host = text[scheme.upperBound...]
            if let end = host.firstIndex(where: { "/?#".contains($0) }) { host = host[..<end] }
            if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }  // user:password@
            if let colon = host.lastIndex(of: ":"), host[host.index(after: colon)...].allSatisfy(\.isNumber) {
                host = host[..<colon]  // :port
            }
            guard !host.isEmpty else {
                throw ValidationError("'\(input)' is a URL without a host name; give the mail domain, e.g. example.com")
            }
            // The policy URL (https://mta-sts.D/.well-known/mta-sts.txt) is D's policy host: check D.
            if let domain = policyDomain(String(host)) {
                return (domain, "checking the domain \(domain), whose policy host is \(host) in the URL \(input)")
            }
            return (String(host), "checking the domain \(host) of the URL \(input)")
        }
        if let at = text.lastIndex(of: "@") {
            let host = text[text.index(after: at)...]
            guard !host.isEmpty, !text[..<at].isEmpty else {
                throw ValidationError("'\(input)' is not a mail address or a domain; give the mail domain, e.g. example.com")
            }
            return (String(host), "checking the domain \(host) of the mail address \(input)")
        }
        if text.contains(where: { $0 == "/" || $0 == " " }) {
            throw ValidationError("'\(input)' is not a domain name; give the mail domain, e.g. example.com")
        }
        // The record names and the policy host are names of the mail domain's deployment.
        for (prefix, what) in [("_mta-sts.", "MTA-STS record name"), ("_smtp._tls.", "TLS-RPT record name")]
        where text.lowercased().hasPrefix(prefix) && text.count > prefix.count {
            let domain = String(text.dropFirst(prefix.count))
            return (domain, "checking the domain \(domain) of the \(what) \(input)")
        }
        if let domain = policyDomain(text) {
            return (domain, "checking the domain \(domain), whose policy host is \(input)")
        }
        return (text, nil)
    }

    /// D for the policy host `mta-sts.D` (D with at least one dot, as mail domains have).
    static func policyDomain(_ host: String) -> String? {
        let prefix = "mta-sts."
        guard host.lowercased().hasPrefix(prefix) else { return nil }
        let rest = String(host.dropFirst(prefix.count))
        return rest.contains(".") && !rest.hasPrefix(".") && !rest.lowercased().hasPrefix(prefix) ? rest : nil
    }
}
