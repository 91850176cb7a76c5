import CCurl

/// Reads the leaf certificate's facts out of curl's `CURLINFO_CERTINFO` text: one list of
/// `Name:value` lines per certificate of the chain the server sent, leaf first.
enum CertificateInfo {
    /// A policy host's leaf facts; nil when curl gathered no chain.
    static func facts(chain: [[String]]) -> CertificateFacts? {
        guard !chain.isEmpty else { return nil }
        var tls = MXTLSFacts()
        facts(chain: chain, into: &tls)
        var facts = CertificateFacts()
        facts.subject = tls.subject
        facts.issuer = tls.issuer
        facts.dnsNames = tls.dnsNames
        facts.notAfter = tls.notAfter
        facts.chainLength = tls.chainLength
        return facts
    }

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
            case "Expire date": tls.notAfter = isoDate(openSSL: value) ?? value
            case "Cert": tls.leafPEM = value
            case "X509v3 Subject Alternative Name": tls.dnsNames = dnsNames(value)
            default: break
            }
        }
    }

    /// curl's certificate text (`CURLINFO_CERTINFO`), leaf first: the leaf's lines, and an
    /// empty list for each further certificate (a hostile chain of hundreds is counted, not
    /// copied).
    static func chain(_ handle: UnsafeMutableRawPointer) -> [[String]] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard stscurl_easy_getinfo_certinfo(handle, &info) == CURLE_OK, let info else { return [] }
        let count = Int(info.pointee.num_of_certs)
        guard count > 0, let lists = info.pointee.certinfo else { return [] }
        var chain: [[String]] = [[]]
        var item = lists[0]
        while let node = item {
            if let data = node.pointee.data { chain[0].append(String(cString: data)) }
            item = node.pointee.next
        }
        chain += Array(repeating: [], count: count - 1)
        return chain
    }

    /// OpenSSL's `Dec  3 08:38:00 2026 GMT` as ISO 8601 UTC (`2026-12-03T08:38:00Z`), which
    /// SQLite's date functions read; nil when it is not in that form.
    static func isoDate(openSSL text: String) -> String? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 5, parts[4] == "GMT", let month = months.firstIndex(of: String(parts[0])),
              let day = Int(parts[1]), (1...31).contains(day), parts[2].count == 8, let year = Int(parts[3]),
              (1...9999).contains(year) else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-\(two(month + 1))-\(two(day))T\(parts[2])Z"
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
