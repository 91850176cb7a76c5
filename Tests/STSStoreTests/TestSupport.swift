import Foundation
import STSCore
import STSStore

/// A fresh database file in a private temporary directory, removed by `cleanup()`.
struct TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("scan.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stsstore-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(at: directory) }
}

enum Fixtures {
    static let metadata = ScanMetadata(
        startedAt: Date(timeIntervalSince1970: 1_767_225_600.25), toolVersion: "0.1.0", caresVersion: "1.18.1",
        curlVersion: "7.88.1", sqliteVersion: "3.40.1", resolvers: ["127.0.53.2:53"],
        options: ["concurrency": "2000", "dns-timeout": "2"], inputName: "domains.csv", shard: nil)

    /// A small record with no children, for bulk tests.
    static func plain(_ position: Int) -> DomainRecord {
        DomainRecord(position: position, rank: position + 1, domain: "d\(position).example",
                     input: "d\(position).example", mxStatus: "ok", stsRecord: "absent",
                     tlsrptRecord: "absent", scannedAt: Date(timeIntervalSince1970: 1_767_225_601),
                     durationMs: 12, findings: [Finding(.txtAbsent), Finding(.tlsrptAbsent)])
    }

    /// A fully populated record: every column and every child table.
    static func full(_ position: Int) -> DomainRecord {
        DomainRecord(
            position: position, rank: 7, domain: "example.com", input: "Example.COM.",
            mxStatus: "ok", stsRecord: "valid", stsID: "20240101", stsCNAME: "sts.provider.net",
            policyStatus: "valid", policyHostCNAME: "policy.provider.net", policyAddress: "127.0.54.1",
            httpStatus: 200, mode: "enforce", maxAge: 604_800, mxCoverage: "some",
            tlsrptRecord: "valid", tlsrptRUA: "mailto:tls@example.com,https://r.example.com/x",
            errorCode: nil, errorDetail: nil, scannedAt: Date(timeIntervalSince1970: 1_767_225_602.5),
            durationMs: 340,
            findings: [Finding(.txtCNAME, "sts.provider.net"), Finding(.policyHostCNAME, "policy.provider.net"),
                       Finding(.mxPartlyCovered, "mx2.other.net"), Finding(.tlsrptMultipleRUA)],
            mxHosts: [MXHost(preference: 10, host: "mx1.example.com", covered: true),
                      MXHost(preference: 20, host: "mx2.other.net", covered: false)],
            policyMX: ["mx1.example.com", "*.example.com"],
            rawRecords: [RawRecord(kind: "sts", text: "v=STSv1; id=20240101"),
                         RawRecord(kind: "tlsrpt", text: "v=TLSRPTv1; rua=mailto:tls@example.com")],
            policyBody: Array("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n".utf8))
    }
}
