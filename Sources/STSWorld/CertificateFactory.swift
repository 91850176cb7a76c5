import Crypto
import Foundation
import SwiftASN1
import X509

/// The world's private PKI: a test CA (the only trust anchor, written as `ca.pem`), an
/// unrelated CA nobody trusts, and one shared P-256 key for every policy host (signing
/// one key per host would dominate build time). Keys derive from the seed; ECDSA
/// signatures are randomised by swift-crypto, so certificate bytes differ between builds
/// while their to-be-signed parts are identical.
struct CertificateFactory {
    let leafKey: P256.Signing.PrivateKey
    private let caKey: P256.Signing.PrivateKey
    private let otherCAKey: P256.Signing.PrivateKey
    let caCertificate: Certificate
    private let caName: DistinguishedName
    private let otherCAName: DistinguishedName

    /// Fixed validity windows, so files do not depend on the build date.
    private static let notBefore = Date(timeIntervalSince1970: 1_704_067_200)   // 2024-01-01
    private static let notAfter = Date(timeIntervalSince1970: 2_524_608_000)    // 2050-01-01
    private static let expiredBefore = Date(timeIntervalSince1970: 1_577_836_800) // 2020-01-01
    private static let expiredAfter = Date(timeIntervalSince1970: 1_609_459_200)  // 2021-01-01
    private static let futureBefore = Date(timeIntervalSince1970: 2_493_072_000)  // 2049-01-01

    init(seed: UInt64) throws {
        var rng = SplitMix64.stream(seed, 3)
        leafKey = try Self.key(&rng)
        caKey = try Self.key(&rng)
        otherCAKey = try Self.key(&rng)
        caName = try DistinguishedName {
            OrganizationName("stsscan simulated internet")
            CommonName("stsscan world test CA \(seed)")
        }
        otherCAName = try DistinguishedName {
            OrganizationName("Nobody Trusts Me Inc")
            CommonName("Unknown Test CA")
        }
        caCertificate = try Self.makeCA(name: caName, key: caKey, serial: 1)
    }

    /// A private key from 32 seeded bytes (retry in the negligible case the bytes are not a valid scalar).
    private static func key(_ rng: inout SplitMix64) throws -> P256.Signing.PrivateKey {
        for _ in 0..<8 {
            var bytes: [UInt8] = []
            for _ in 0..<4 { withUnsafeBytes(of: rng.next().bigEndian) { bytes += $0 } }
            if let key = try? P256.Signing.PrivateKey(rawRepresentation: bytes) { return key }
        }
        throw WorldError.io("could not derive a P-256 key from the seed")
    }

    private static func makeCA(name: DistinguishedName, key: P256.Signing.PrivateKey, serial: Int) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(serial),
            publicKey: .init(key.publicKey), notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
    }

    /// PEM of `ca.pem` (the trust anchor).
    func caPEM() throws -> String { try caCertificate.serializeAsPEM().pemString + "\n" }

    /// PEM of the shared leaf key (PKCS#8).
    var leafKeyPEM: String { leafKey.pemRepresentation + "\n" }

    /// The certificate file nginx presents for `host` (Postfix: after the key, see
    /// `mailChainPEM`), or nil for `.none`. A wrong-name certificate names `www.` plus the
    /// host without its first label (`mta-sts.d` -> `www.d`, `mail.d` -> `www.d`).
    func chainPEM(host: String, kind: CertKind, serial: UInt64) throws -> String? {
        let subject = try DistinguishedName { CommonName(String(host.prefix(64))) }
        var issuer = caName
        var issuerKey = caKey
        var sanName = host
        var before = Self.notBefore
        var after = Self.notAfter
        switch kind {
        case .none, .longChain: return nil  // .longChain: see longChainPEM
        case .valid: break
        case .expired:
            before = Self.expiredBefore
            after = Self.expiredAfter
        case .notYetValid: before = Self.futureBefore
        case .wrongName:
            sanName = "www." + (host.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? host)
        case .selfSigned:
            issuer = subject
            issuerKey = leafKey
        case .unknownCA:
            issuer = otherCAName
            issuerKey = otherCAKey
        }
        return try leafPEM(subject: kind == .selfSigned ? issuer : subject, dnsNames: [sanName],
                           issuer: issuer, issuerKey: issuerKey, validity: (before, after),
                           serial: serial | 0x1000)
    }

    /// Intermediate CAs below the world CA, each signing the next (one shared key, derived
    /// from the seed): PEM text from the lowest up, and the lowest one's name and key.
    struct IntermediateChain {
        let pem: String
        let lowestName: DistinguishedName
        let key: P256.Signing.PrivateKey
    }

    func intermediateChain(count: Int, seed: UInt64) throws -> IntermediateChain {
        var rng = SplitMix64.stream(seed, 5)
        let key = try Self.key(&rng)
        var issuerName = caName
        var issuerKey = caKey
        var pems: [String] = []
        for n in 1...count {
            let name = try DistinguishedName {
                OrganizationName("stsscan simulated internet")
                CommonName("stsscan world intermediate \(n)")
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(2_000_000 + n),
                publicKey: .init(key.publicKey), notValidBefore: Self.notBefore, notValidAfter: Self.notAfter,
                issuer: issuerName, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: .init(issuerKey))
            pems.append(try certificate.serializeAsPEM().pemString + "\n")
            issuerName = name
            issuerKey = key
        }
        return IntermediateChain(pem: pems.reversed().joined(), lowestName: issuerName, key: key)
    }

    /// A valid leaf for `host` issued by the lowest intermediate of `chain`, followed by the
    /// whole chain (what a server sends).
    func longChainPEM(host: String, chain: IntermediateChain, serial: UInt64) throws -> String {
        let subject = try DistinguishedName { CommonName(String(host.prefix(64))) }
        return try leafPEM(subject: subject, dnsNames: [host], issuer: chain.lowestName, issuerKey: chain.key,
                           validity: (Self.notBefore, Self.notAfter), serial: serial | 0x1000) + chain.pem
    }

    /// A Postfix chain file (`smtpd_tls_chain_files`, `tls_server_sni_maps`): the private
    /// key first, then the certificate.
    func mailChainPEM(certificatePEM: String) -> String { leafKeyPEM + certificatePEM }

    /// One valid certificate naming every host of `hosts` (the shared certificate of a
    /// `CertificateGroups` group). `number` keeps serials apart from the per-host ones.
    func groupPEM(hosts: [String], number: Int, label: String = "policy hosts") throws -> String {
        let subject = try DistinguishedName { CommonName("stsscan world \(label) \(number)") }
        return try leafPEM(subject: subject, dnsNames: hosts, issuer: caName, issuerKey: caKey,
                           validity: (Self.notBefore, Self.notAfter), serial: (1 << 40) | UInt64(number))
    }

    private func leafPEM(subject: DistinguishedName, dnsNames: [String], issuer: DistinguishedName,
                         issuerKey: P256.Signing.PrivateKey, validity: (Date, Date), serial: UInt64) throws -> String {
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(serial),
            publicKey: .init(leafKey.publicKey), notValidBefore: validity.0, notValidAfter: validity.1,
            issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(dnsNames.map { .dnsName($0) })
            },
            issuerPrivateKey: .init(issuerKey))
        return try certificate.serializeAsPEM().pemString + "\n"
    }
}

extension CertificateFactory {
    /// The DNS names of the subject alternative names of the first certificate in a PEM file.
    static func dnsNames(ofPEM text: String) throws -> [String] {
        let certificate = try Certificate(pemEncoded: text)
        guard let names = try certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { if case .dnsName(let name) = $0 { name } else { nil } }
    }

    /// The to-be-signed bytes of each certificate in a PEM file: what stays identical
    /// between two builds with the same seed (the signatures do not).
    static func toBeSignedParts(ofPEM text: String) throws -> [[UInt8]] {
        try PEMDocument.parseMultiple(pemString: text).map {
            Array(try Certificate(pemDocument: $0).tbsCertificateBytes)
        }
    }
}
