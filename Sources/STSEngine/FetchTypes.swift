import STSCore

/// How one policy fetch ended: an HTTP response of any status, or a failure classified into
/// one fetch-stage finding code by `FetchFailureMapping`.
public enum FetchOutcome: Sendable {
    case response(status: Int, contentType: String?, location: String?, body: [UInt8])
    case failure(FindingCode, detail: String)
}

/// The result of `Engine.fetchPolicy`.
public struct FetchResult: Sendable {
    public let outcome: FetchOutcome
    /// The address the connection went to.
    public let address: String
    /// Time from the start of the transfer (after any politeness wait) to its end.
    public let elapsedMs: Int

    public init(outcome: FetchOutcome, address: String, elapsedMs: Int) {
        self.outcome = outcome
        self.address = address
        self.elapsedMs = elapsedMs
    }
}
