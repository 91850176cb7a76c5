import Foundation

/// One STARTTLS probe of an MX host: a row of `mx_probes` (docs/database.md).
public struct MXProbeRecord: Sendable, Hashable {
    public var host: String
    /// The address whose session gave the outcome (the last one tried).
    public var address: String?
    public var ipv6Address: String?
    /// Passed, or the `mx-tls` finding a sender would meet first.
    public var outcome: MXProbeOutcome
    public var detail: String?
    public var greeting: String?
    public var tlsVersion: String?
    public var tlsCipher: String?
    public var certSubject: String?
    public var certIssuer: String?
    /// DNS subjectAltNames in certificate order.
    public var certSANs: [String]
    public var certNotAfter: String?
    /// SHA-256 of the leaf certificate's DER, lower-case hex.
    public var certSHA256: String?
    public var chainLength: Int?
    public var verifyResult: Int?
    public var elapsedMs: Int
    public var probedAt: Date
    /// Every address tried, in order, with what it did (RFC 5321 §5.1); empty when none was.
    public var attempts: [AddressAttempt]

    public init(host: String, address: String? = nil, ipv6Address: String? = nil, outcome: MXProbeOutcome,
                detail: String? = nil, greeting: String? = nil, tlsVersion: String? = nil, tlsCipher: String? = nil,
                certSubject: String? = nil, certIssuer: String? = nil, certSANs: [String] = [],
                certNotAfter: String? = nil, certSHA256: String? = nil, chainLength: Int? = nil,
                verifyResult: Int? = nil, elapsedMs: Int, probedAt: Date, attempts: [AddressAttempt] = []) {
        self.host = host
        self.address = address
        self.ipv6Address = ipv6Address
        self.outcome = outcome
        self.detail = detail
        self.greeting = greeting
        self.tlsVersion = tlsVersion
        self.tlsCipher = tlsCipher
        self.certSubject = certSubject
        self.certIssuer = certIssuer
        self.certSANs = certSANs
        self.certNotAfter = certNotAfter
        self.certSHA256 = certSHA256
        self.chainLength = chainLength
        self.verifyResult = verifyResult
        self.elapsedMs = elapsedMs
        self.probedAt = probedAt
        self.attempts = attempts
    }
}
