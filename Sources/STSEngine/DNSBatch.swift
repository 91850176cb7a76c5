/// The lookups of one `resolve` call: the caller is resumed once, when the last of them
/// has an answer (or has been dropped because the caller was already resumed). One
/// continuation per domain instead of one per lookup is what keeps a scan's scheduling
/// cost low. Loop thread only.
final class DNSBatch {
    let box: RequestBox<DNSRequest>
    private(set) var answers: [DNSAnswer?]
    private var remaining: Int
    private let startedNs: UInt64

    init(box: RequestBox<DNSRequest>, count: Int, startedNs: UInt64) {
        self.box = box
        answers = Array(repeating: nil, count: count)
        remaining = count
        self.startedNs = startedNs
    }

    /// Records the answer of lookup `index`; returns the complete reply when it was the
    /// last one outstanding.
    func settle(_ index: Int, _ answer: DNSAnswer, nowNs: UInt64) -> [DNSAnswer]? {
        var answer = answer
        answer.elapsedMs = Int((nowNs &- startedNs) / 1_000_000)
        answers[index] = answer
        return countDown() ? answers.map { $0! } : nil
    }

    /// A lookup dropped without an answer (its caller was already resumed); returns true
    /// when it was the last one outstanding, so the loop lets go of the request.
    func drop() -> Bool { countDown() }

    private func countDown() -> Bool {
        remaining -= 1
        return remaining == 0
    }
}
