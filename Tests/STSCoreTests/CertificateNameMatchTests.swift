import Testing
@testable import STSCore

/// rfc8461-8460-rules.md §5: DNS-ID SANs; CN only when no DNS SAN; one whole left-most
/// wildcard label (`*.mx.example` does not match `mx.example`).
@Suite struct CertificateNameMatchTests {
    @Test func exactAndCaseInsensitive() {
        #expect(CertificateNameMatch.matches(host: "MX1.Example.COM", dnsNames: ["mx1.example.com"]))
        #expect(CertificateNameMatch.matches(host: "mx1.example.com.", dnsNames: ["mx1.example.com"]))
        #expect(!CertificateNameMatch.matches(host: "mx2.example.com", dnsNames: ["mx1.example.com"]))
    }

    @Test func oneLeftMostWildcardLabel() {
        let names = ["*.mx.example"]
        #expect(CertificateNameMatch.matches(host: "a.mx.example", dnsNames: names))
        #expect(!CertificateNameMatch.matches(host: "mx.example", dnsNames: names))
        #expect(!CertificateNameMatch.matches(host: "a.b.mx.example", dnsNames: names))
        #expect(!CertificateNameMatch.matches(host: "example.com", dnsNames: ["*.com"]))
        #expect(!CertificateNameMatch.matches(host: "amx.example", dnsNames: ["a*.mx.example"]))
    }

    @Test func commonNameOnlyWithoutDNSNames() {
        #expect(CertificateNameMatch.matches(host: "mx.example", dnsNames: [], commonName: "mx.example"))
        #expect(!CertificateNameMatch.matches(host: "mx.example", dnsNames: ["other.example"], commonName: "mx.example"))
        #expect(CertificateNameMatch.commonName(ofSubject: "C = US, O = Example, CN = mx.example") == "mx.example")
        #expect(CertificateNameMatch.commonName(ofSubject: "O = Example") == nil)
    }

    @Test func emptyHostNeverMatches() {
        #expect(!CertificateNameMatch.matches(host: "", dnsNames: [""]))
        #expect(!CertificateNameMatch.matches(host: ".", dnsNames: ["*."]))
    }
}
