import STSEngine

/// Collects `ProbeStep`s when explaining; does nothing (and allocates nothing) otherwise.
struct StepLog {
    let enabled: Bool
    private(set) var steps: [ProbeStep] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func add(_ action: String, _ answer: DNSAnswer) {
        guard enabled else { return }
        var data: [String] = answer.cnameChain.map { "CNAME \($0)" }
        data += answer.txt.map { "\"\(String(decoding: $0, as: UTF8.self))\"" }
        data += answer.mx.map { "\($0.preference) \($0.host)" }
        data += answer.addresses
        let outcome: String
        switch answer.status {
        case .ok: outcome = "ok"
        case .nodata: outcome = "no records (NODATA)"
        case .nxdomain: outcome = "name does not exist (NXDOMAIN)"
        case .timeout: outcome = "timed out"
        case .servfail: outcome = "SERVFAIL"
        case .refused: outcome = "REFUSED"
        case .error(let message): outcome = "error: \(message)"
        }
        steps.append(ProbeStep(action: action, outcome: outcome, data: data, elapsedMs: answer.elapsedMs))
    }

    mutating func addFetch(host: String, _ result: FetchResult) {
        guard enabled else { return }
        let action = "GET https://\(host)/.well-known/mta-sts.txt (via \(result.address))"
        let certificate = result.certificate.map(ProbeCertificate.init)
        let certificateLines = certificate?.lines ?? []
        switch result.outcome {
        case let .response(status, contentType, location, body):
            var data = ["HTTP \(status)", "Content-Type: \(contentType ?? "(none)")"]
            if let location { data.append("Location: \(location)") }
            data.append("\(body.count) bytes")
            steps.append(ProbeStep(action: action, outcome: "HTTP \(status)", data: certificateLines + data,
                                   elapsedMs: result.elapsedMs, certificate: certificate))
        case let .failure(failure, detail):
            let code = TransportFindings.fetchCode(failure)
            steps.append(ProbeStep(action: action, outcome: "failed: \(code.rawValue)",
                                   data: certificateLines + (detail.isEmpty ? [] : [detail]),
                                   elapsedMs: result.elapsedMs, certificate: certificate))
        }
    }

    mutating func append(_ more: [ProbeStep]) {
        guard enabled else { return }
        steps.append(contentsOf: more)
    }

    mutating func addSMTP(host: String, _ result: SMTPProbeResult) {
        guard enabled else { return }
        let action = "STARTTLS \(host) (via \(AddressOrder.withPort(result.address, 25)))"
        var data: [String] = result.greeting.map { [$0] } ?? []
        if let tls = result.tls {
            data.append("\(tls.version ?? "TLS") \(tls.cipher ?? "")")
            data += ProbeCertificate(subject: tls.subject, issuer: tls.issuer, dnsNames: tls.dnsNames,
                                     notAfter: tls.notAfter, chainLength: tls.chainLength).lines
        }
        switch TransportFindings.mxTLS(result) {
        case nil:
            steps.append(ProbeStep(action: action, outcome: "ok", data: data, elapsedMs: result.elapsedMs))
        case let (code, detail)?:
            if !detail.isEmpty { data.append(detail) }
            steps.append(ProbeStep(action: action, outcome: "failed: \(code.rawValue)", data: data, elapsedMs: result.elapsedMs))
        }
    }
}
