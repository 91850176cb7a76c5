/// Why a certificate was refused, from OpenSSL's verification (`X509_V_ERR_*`) or curl's
/// host-name check.
public enum CertificateProblem: Sendable, Equatable {
    /// `X509_V_ERR_CERT_HAS_EXPIRED`.
    case expired
    /// `X509_V_ERR_CERT_NOT_YET_VALID`.
    case notYetValid
    /// The chain does not lead to a trusted root: unknown issuer, self-signed, untrusted,
    /// rejected.
    case untrusted
    /// The certificate does not name the host.
    case nameMismatch
    /// Any other verification failure (bad signature, purpose ...); 0 or 1 when the refusal
    /// came without an OpenSSL verdict (curl's own checks).
    case invalid(verifyResult: Int)

    /// OpenSSL's verdict `verifyResult` (an `X509_V_ERR_*` value; 0 is a valid chain: nil).
    public init?(verifyResult: Int) {
        switch verifyResult {
        case 0: return nil
        case 10: self = .expired                      // CERT_HAS_EXPIRED
        case 9: self = .notYetValid                   // CERT_NOT_YET_VALID
        case 2, 18, 19, 20, 21, 27, 28: self = .untrusted // unable to get issuer, self-signed leaf / in chain,
                                                      // no local issuer, leaf not verifiable, untrusted, rejected
        case 62: self = .nameMismatch                 // HOSTNAME_MISMATCH
        default: self = .invalid(verifyResult: verifyResult)
        }
    }
}
