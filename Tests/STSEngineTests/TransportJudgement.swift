import STSCore
import STSEngine
@testable import STSScanner

// Engine tests state what real servers do as the findings the scanner makes of the engine's
// transport outcomes (`TransportFindings`, the one mapping), so the codes they expect are
// the ones a scan stores.

extension FetchOutcome {
    /// The fetch-stage finding code of a failed fetch; nil for an HTTP response.
    var findingCode: FindingCode? {
        if case .failure(let failure, _) = self { return TransportFindings.fetchCode(failure) }
        return nil
    }
}

extension SMTPProbeResult {
    /// The `mx-tls` finding code of the probe; nil when the host passed.
    var findingCode: FindingCode? { TransportFindings.mxTLS(self)?.code }
}
