/// Shared third-party hosts that many world domains point at: mail providers, an MTA-STS
/// hosting provider that serves policies for its customers' `mta-sts.<domain>` names, and
/// one that hosts the `_mta-sts` TXT record itself.
enum Providers {
    /// Target of `mta-sts.<domain> CNAME` (the certificate still names the customer host).
    static let policyHost = "sts.provider-x.com"
    /// Target of `_mta-sts.<domain> CNAME`.
    static let stsRecordHost = "_mta-sts.provider-y.net"
    static let stsRecordID = "providery20240301"
    static let mailA = ["mx1.mailhost-a.com", "mx2.mailhost-a.com"]
    static let mailB = ["mx.mailhost-b.net"]
    /// Provider T gives every customer its own MX name under this suffix, all on one
    /// address and one wildcard certificate (`<tenant>.mail.protection.outlook.com` style).
    static let tenantSuffix = "mail.protection.mailhost-t.com"
    /// The policy pattern provider T's customers publish.
    static let tenantPattern = "*." + tenantSuffix
    /// The policy pattern provider A's customers publish.
    static let mailAPattern = "*.mailhost-a.com"
    /// Target of `mx.<domain> CNAME` in the `mx-cname` scenario (a hosting box).
    static let cnameMailTarget = "box7.hosting-c.org"

    /// Provider T's MX name for a customer domain: its labels joined by `-`.
    static func tenantMX(_ domain: String) -> String {
        domain.replacingOccurrences(of: ".", with: "-") + "." + tenantSuffix
    }

    /// The names on the Postfix default certificate (the shared providers' MX names).
    static let mailCertificateNames = mailA + mailB + [tenantPattern]

    /// The records the providers publish.
    static func records(_ addresses: WorldAddresses) -> [ZoneRecord] {
        [
            ZoneRecord(owner: "provider-x.com", type: "MX", data: "10 mx.mailhost-b.net."),
            ZoneRecord(owner: policyHost, type: "A", data: addresses.httpsIP),
            ZoneRecord(owner: "provider-y.net", type: "MX", data: "10 mx.mailhost-b.net."),
            ZoneRecord(owner: stsRecordHost, type: "TXT", data: ZoneText.quoted(["v=STSv1; id=\(stsRecordID)"])),
            ZoneRecord(owner: "mailhost-a.com", type: "MX", data: "10 mx1.mailhost-a.com."),
            ZoneRecord(owner: mailA[0], type: "A", data: addresses.mailIP),
            ZoneRecord(owner: mailA[1], type: "A", data: addresses.mailIP),
            ZoneRecord(owner: "mailhost-b.net", type: "MX", data: "10 mx.mailhost-b.net."),
            ZoneRecord(owner: mailB[0], type: "A", data: addresses.providerBMailIP),
            ZoneRecord(owner: "mailhost-t.com", type: "MX", data: "10 mailhost-t-com.\(tenantSuffix)."),
            ZoneRecord(owner: "mailhost-t-com.\(tenantSuffix)", type: "A", data: addresses.tenantMailIP),
            ZoneRecord(owner: "hosting-c.org", type: "MX", data: "10 \(cnameMailTarget)."),
            ZoneRecord(owner: cnameMailTarget, type: "A", data: addresses.selfHostedMailIP(7)),
        ]
    }
}

/// Zone-file text encoding.
enum ZoneText {
    /// TXT RDATA: each string quoted (split at 255 bytes), `"` and `\` escaped, bytes
    /// outside printable ASCII as `\DDD`.
    static func quoted(_ strings: [String]) -> String {
        var parts: [String] = []
        for string in strings {
            let bytes = Array(string.utf8)
            var start = 0
            repeat {
                let end = min(start + 255, bytes.count)
                var out = "\""
                for byte in bytes[start..<end] {
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
                    case 0x20...0x7E: out.append(Character(UnicodeScalar(byte)))
                    default: out += "\\" + String(format3(byte))
                    }
                }
                parts.append(out + "\"")
                start = end
            } while start < bytes.count
        }
        return parts.joined(separator: " ")
    }

    private static func format3(_ byte: UInt8) -> String {
        let digits = String(byte)
        return String(repeating: "0", count: 3 - digits.count) + digits
    }
}
