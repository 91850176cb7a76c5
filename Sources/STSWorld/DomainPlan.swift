/// One resource record for a zone file. `owner` is a fully qualified name without the
/// trailing dot; `data` is zone-file RDATA text.
struct ZoneRecord: Sendable, Equatable {
    let owner: String
    let type: String
    let data: String
}

/// A fault dnsdist injects for every query whose name is exactly `qname`.
enum DNSFault: String, Sendable {
    /// Drop the query: the client times out.
    case drop
    /// Answer SERVFAIL.
    case servfail
    /// Answer with TC over UDP, so the client retries over TCP (which passes).
    case truncate
}

/// How nginx answers for a policy host.
enum ServeKind: String, Sendable, CaseIterable {
    /// Static file from `www/<host>` as text/plain (missing file = 404).
    case file
    case status500
    case redirect
    /// Static file served as text/html.
    case html
    /// Waits far longer than the scan's fetch timeout before answering.
    case sleep
    /// Sends the body at a few bytes per second.
    case drip
}

/// Which certificate the policy host (nginx) or MX host (Postfix, by SNI) presents.
enum CertKind: String, Sendable {
    case valid, expired, wrongName, selfSigned, unknownCA
    /// Valid from 2049 on.
    case notYetValid
    /// Valid, sent with a chain of `MailCertificates.longChainLength` certificates.
    case longChain
    /// No certificate file at all: the TLS handshake fails.
    case none
}

/// The policy host's web presence.
struct WebPlan: Sendable {
    let host: String
    var serve: ServeKind = .file
    var cert: CertKind = .valid
    /// Content of `/.well-known/mta-sts.txt`; nil = no file (HTTP 404).
    var body: [UInt8]?
}

/// An MX host of the domain with a certificate of its own kind (`MailCertificates` puts it
/// on its address's certificate or in Postfix's SNI table; the shared providers' names are
/// on the default certificate and not listed here).
struct MailHostPlan: Sendable, Equatable {
    let host: String
    var cert: CertKind = .valid
}

/// Everything the generator writes for one domain.
struct DomainPlan: Sendable {
    var records: [ZoneRecord] = []
    var faults: [(qname: String, fault: DNSFault)] = []
    var web: WebPlan?
    /// MX hosts served by the world's Postfix under a certificate of their own name.
    var mailHosts: [MailHostPlan] = []
    var expectation = Expectation()
}
