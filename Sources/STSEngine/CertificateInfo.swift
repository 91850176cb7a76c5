/// Reads the leaf certificate's facts out of curl's `CURLINFO_CERTINFO` text: one list of
/// `Name:value` lines per certificate of the chain the server sent, leaf first.
enum CertificateInfo {
    static func facts(chain: [[String]], into tls: inout MXTLSFacts) {
        tls.chainLength = chain.count
        guard let leaf = chain.first else { return }
        for line in leaf {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            switch name {
            case "Subject": tls.subject = value
            case "Issuer": tls.issuer = value
            case "Expire date": tls.notAfter = value
            case "Cert": tls.leafPEM = value
            case "X509v3 Subject Alternative Name": tls.dnsNames = dnsNames(value)
            default: break
            }
        }
    }

    /// `DNS:a.example, IP Address:127.0.0.1, DNS:*.b.example` -> the DNS entries.
    static func dnsNames(_ text: String) -> [String] {
        text.split(separator: ",").compactMap { part in
            var item = part[...]
            while item.first == " " { item.removeFirst() }
            return item.hasPrefix("DNS:") ? String(item.dropFirst(4)) : nil
        }
    }
}
