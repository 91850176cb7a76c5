import Foundation

/// One row of `scans` as read back: the metadata plus progress bookkeeping.
public struct ScanSummary: Sendable, Hashable {
    public var id: Int64
    public var metadata: ScanMetadata
    /// nil while the scan has not finished (crashed or still running).
    public var finishedAt: Date?
    public var inputSHA256: String?
    /// Known once the whole input has been read.
    public var domainsTotal: Int?
    public var domainsDone: Int
    public var errors: Int
    /// Rows actually stored in `domain_results` for this scan.
    public var rowsStored: Int

    public init(id: Int64, metadata: ScanMetadata, finishedAt: Date?, inputSHA256: String?,
                domainsTotal: Int?, domainsDone: Int, errors: Int, rowsStored: Int) {
        self.id = id
        self.metadata = metadata
        self.finishedAt = finishedAt
        self.inputSHA256 = inputSHA256
        self.domainsTotal = domainsTotal
        self.domainsDone = domainsDone
        self.errors = errors
        self.rowsStored = rowsStored
    }
}
