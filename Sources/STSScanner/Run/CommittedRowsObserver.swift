/// Follows what a scan stores (`scan --jsonl`): told the scan's id before the first batch,
/// the positions of every batch after its transaction committed (from the single writer,
/// one call at a time), and when the scan has stored its last row. A failure stops the scan
/// as a failed write does (what is stored stays, `--resume` continues).
public protocol CommittedRowsObserver: Sendable {
    /// Before the pipeline starts; for `--resume`, rows of the scan may already be stored.
    func scanStarted(scanID: Int64) throws
    /// A batch of these positions was committed.
    func committed(positions: [Int]) throws
    /// Every entry of the list is stored (not called when the scan is interrupted).
    func scanCompleted() throws
}
