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
        var record = DomainRecord(position: position, rank: position + 1, domain: "d\(position).example",
                                  input: "d\(position).example", scannedAt: Date(timeIntervalSince1970: 1_767_225_601))
        record.mxStatus = .ok
        record.stsRecord = .absent
        record.tlsrptRecord = .absent
        record.durationMs = 12
        record.findings = [Finding(.txtAbsent), Finding(.tlsrptAbsent)]
        return record
    }

    /// A fully populated record: every column and every child table.
    static func full(_ position: Int) -> DomainRecord {
        var r = DomainRecord(position: position, rank: 7, domain: "example.com", input: "Example.COM.",
                             scannedAt: Date(timeIntervalSince1970: 1_767_225_602.5))
        r.mxStatus = .ok
        r.stsRecord = .valid
        r.stsID = "20240101"
        r.stsCNAME = "sts.provider.net"
        r.policyStatus = .valid
        r.policyHostCNAME = "policy.provider.net"
        r.policyAddress = "127.0.54.1"
        r.httpStatus = 200
        r.mode = .enforce
        r.maxAge = 604_800
        r.mxCoverage = .some
        r.tlsrptRecord = .valid
        r.tlsrptRUA = ["mailto:tls@example.com", "https://r.example.com/x"]
        r.durationMs = 340
        r.findings = [Finding(.txtCNAME, "sts.provider.net"), Finding(.policyHostCNAME, "policy.provider.net"),
                      Finding(.mxPartlyCovered, "mx2.other.net"), Finding(.tlsrptMultipleRUA)]
        r.mxHosts = [MXHost(preference: 10, host: "mx1.example.com", covered: true),
                     MXHost(preference: 20, host: "mx2.other.net", covered: false)]
        r.policyMX = ["mx1.example.com", "*.example.com"]
        r.stsRawRecords = ["v=STSv1; id=20240101"]
        r.tlsrptRawRecords = ["v=TLSRPTv1; rua=mailto:tls@example.com"]
        r.policyBody = Array("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n".utf8)
        return r
    }
}
