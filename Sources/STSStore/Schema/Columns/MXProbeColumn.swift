/// `mx_probes`: the fields of `MXProbeRecord`, after the key `scan_id`.
enum MXProbeColumn: String, InsertColumns {
    case host, address, ipv6Address = "ipv6_address", outcome, detail, greeting
    case tlsVersion = "tls_version", tlsCipher = "tls_cipher", certSubject = "cert_subject", certIssuer = "cert_issuer"
    case certSANs = "cert_san", certNotAfter = "cert_not_after", certSHA256 = "cert_sha256"
    case chainLength = "chain_length", verifyResult = "verify_result", elapsedMs = "elapsed_ms", probedAt = "probed_at"
    case attempts

    static let table = "mx_probes"
    static let ordered = allCases
    static let key = ["scan_id"]
}
