/// What one kind of request asks the loop, and the reply it gets back: each kind names its
/// own reply type, so a caller can never receive another kind's answer.
protocol LoopRequest: Sendable {
    associatedtype Reply: Sendable
    /// The reply when the request ends without being carried out (cancelled, engine shut down).
    func failureReply(_ reason: String) -> Reply
    /// The request as the loop's inbox holds it (the loop dispatches on it).
    static func submission(_ box: RequestBox<Self>) -> Submission
}

/// Lookups of one `resolve` call, answered together.
struct DNSRequest: LoopRequest {
    let lookups: [DNSLookup]

    func failureReply(_ reason: String) -> [DNSAnswer] {
        lookups.map { _ in DNSAnswer(status: .error(reason)) }
    }

    static func submission(_ box: RequestBox<DNSRequest>) -> Submission { .dns(box) }
}

/// One policy fetch (`Engine.fetchPolicy`).
struct FetchRequest: LoopRequest {
    let host: String
    let address: String
    let port: Int

    func failureReply(_ reason: String) -> FetchResult {
        FetchResult(outcome: .failure(.other, detail: reason), address: address, elapsedMs: 0)
    }

    static func submission(_ box: RequestBox<FetchRequest>) -> Submission { .fetch(box) }
}

/// One STARTTLS probe (`Engine.probeSMTP`).
struct SMTPRequest: LoopRequest {
    let host: String
    let address: String
    let port: Int
    let ehloName: String

    func failureReply(_ reason: String) -> SMTPProbeResult {
        SMTPProbeResult(host: host, outcome: .failure(.other, detail: reason), address: address, elapsedMs: 0)
    }

    static func submission(_ box: RequestBox<SMTPRequest>) -> Submission { .smtp(box) }
}

/// A request on its way to (or inside) the loop, of any kind: what the inbox and the
/// cancellation list hold. The loop switches on it once and hands each driver its own
/// typed box.
enum Submission: Sendable {
    case dns(RequestBox<DNSRequest>)
    case fetch(RequestBox<FetchRequest>)
    case smtp(RequestBox<SMTPRequest>)

    /// The caller has been resumed (completion, cancellation or shutdown).
    var isFinished: Bool {
        switch self {
        case .dns(let box): box.isFinished
        case .fetch(let box): box.isFinished
        case .smtp(let box): box.isFinished
        }
    }

    /// Resumes the caller with its kind's failure reply, unless it was already resumed.
    func fail(_ reason: String) {
        switch self {
        case .dns(let box): box.fail(reason)
        case .fetch(let box): box.fail(reason)
        case .smtp(let box): box.fail(reason)
        }
    }
}
