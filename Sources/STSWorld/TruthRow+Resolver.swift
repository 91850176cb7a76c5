import STSCore

extension TruthRow {
    /// The other outcome a scan through a recursive resolver (the world's Unbound) may
    /// record for this row, or nil when there is none.
    ///
    /// `truth.csv` describes what the scanner sees of the authoritative side: a name whose
    /// answers dnsdist drops is a DNS timeout. Through a resolver the scanner sees the
    /// resolver's reaction instead, and Unbound's is timing-dependent: it keeps retrying
    /// (the scanner's tries time out) or gives up with SERVFAIL, whichever comes first
    /// (measured: 11 of 19 dropped names SERVFAIL within 6 s, the rest time out). So the
    /// same row with `timeout` read as `servfail` is equally right; nothing else changes.
    public var throughRecursiveResolver: TruthRow? {
        let status = mxStatus == MXStatus.timeout.rawValue ? MXStatus.servfail.rawValue : mxStatus
        var code = errorCode
        if let errorCode, errorCode.hasSuffix("-dns-timeout") {
            code = String(errorCode.dropLast("timeout".count)) + "servfail"
        }
        guard status != mxStatus || code != errorCode else { return nil }
        return TruthRow(domain: domain, rank: rank, scenario: scenario, mxStatus: status, stsRecord: stsRecord,
                        stsID: stsID, policyStatus: policyStatus, mode: mode, maxAge: maxAge,
                        mxCoverage: mxCoverage, tlsrptRecord: tlsrptRecord, errorCode: code, delivery: delivery)
    }
}
