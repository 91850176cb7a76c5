/// Collects findings with a cap per code, so a hostile 10,000-line body yields a readable
/// list instead of 10,000 findings: past the cap, one extra finding counts the rest.
struct FindingCollector {
    static let capPerCode = 5

    private(set) var findings: [Finding] = []
    private var counts: [FindingCode: Int] = [:]
    private var suppressedOrder: [FindingCode] = []

    /// `detail` is evaluated only when the finding is kept.
    mutating func add(_ code: FindingCode, _ detail: @autoclosure () -> String) {
        let seen = counts[code, default: 0]
        counts[code] = seen + 1
        if seen < Self.capPerCode {
            findings.append(Finding(code, detail()))
        } else if seen == Self.capPerCode {
            suppressedOrder.append(code)
        }
    }

    /// The findings, plus one "N more" finding per code that hit the cap.
    func finish() -> [Finding] {
        findings + suppressedOrder.map { code in
            Finding(code, "\(counts[code, default: 0] - Self.capPerCode) more like this")
        }
    }
}
