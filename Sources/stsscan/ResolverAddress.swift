import Foundation

/// Syntax check of `--resolver` values: an IPv4 or IPv6 address, optionally with a port
/// (`[v6]:port` for IPv6 with a port).
enum ResolverAddress {
    static func isValid(_ text: String) -> Bool {
        var host = text
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return false }
                port = rest.dropFirst()
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            port = text[text.index(after: colon)...]
        }
        if let port, !(Int(port).map { (1...65535).contains($0) } ?? false) { return false }
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
