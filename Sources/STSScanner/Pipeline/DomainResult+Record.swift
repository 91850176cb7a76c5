import Foundation
import STSCore
import STSStore

extension DomainResult {
    /// The database form of this result (the one place that maps scanner fields to columns).
    public var record: DomainRecord {
        let primary = primaryError
        var raw: [RawRecord] = stsRawRecords.map { RawRecord(kind: "sts", text: $0) }
        raw += tlsrptRawRecords.map { RawRecord(kind: "tlsrpt", text: $0) }
        return DomainRecord(
            position: position, rank: rank, domain: Self.withoutNUL(domain), input: Self.withoutNUL(input),
            mxStatus: mxStatus, stsRecord: stsRecord.rawValue, stsID: stsID, stsCNAME: stsCNAME,
            policyStatus: policyStatus, policyHostCNAME: policyHostCNAME, policyAddress: policyAddress,
            httpStatus: httpStatus, mode: mode, maxAge: maxAge, mxCoverage: mxCoverage,
            tlsrptRecord: tlsrptRecord.rawValue, tlsrptRUA: tlsrptRUA.isEmpty ? nil : tlsrptRUA.joined(separator: ","),
            errorCode: primary?.code.rawValue, errorDetail: primary.flatMap { $0.detail.isEmpty ? nil : $0.detail },
            scannedAt: scannedAt, durationMs: durationMs,
            findings: findings,
            mxHosts: mxHosts,
            policyMX: policyMX, rawRecords: raw, policyBody: policyBody,
            delivery: delivery?.rawValue, mxProbes: mxProbes)
    }

    /// NUL becomes U+FFFD, as in stored policy bodies: many SQLite clients cut TEXT at a NUL,
    /// so an invalid entry would show as a different name than the one listed.
    static func withoutNUL(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }
}
