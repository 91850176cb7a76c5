/// The facts of a server's leaf certificate that an operator reads: who it names, who
/// issued it, until when. Kept whether or not the certificate passed verification, so a
/// failing certificate can be shown as it is.
public struct CertificateFacts: Sendable, Equatable {
    /// As OpenSSL prints it (`CN = mta-sts.example.com`).
    public var subject: String?
    public var issuer: String?
    /// DNS names of the subjectAltName extension, in certificate order.
    public var dnsNames: [String] = []
    /// The leaf's `notAfter`, ISO 8601 UTC ("2026-12-30T08:38:00Z").
    public var notAfter: String?
    /// Certificates the server sent.
    public var chainLength: Int = 0

    public init() {}
}
