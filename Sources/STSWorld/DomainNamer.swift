import STSCore

/// Makes the world's domain names: pronounceable words with a unique suffix derived from
/// the rank (a bijection, so names never collide), spread over a few TLDs; IDN scenarios
/// get U-labels turned into `xn--` A-labels.
struct DomainNamer: Sendable {
    /// Zones the world serves (one zone file each). `xn--p1ai` is the IDN TLD .рф.
    static let tlds = ["com", "net", "org", "de", "io", "xn--p1ai"]
    private static let tldWeights = [("com", 55), ("net", 12), ("org", 12), ("de", 12), ("io", 9)]
    private static let syllables = ["ka", "lo", "mi", "ra", "ven", "tor", "sel", "an", "dro", "mas", "pel",
                                    "qui", "ber", "cor", "dal", "fin", "gra", "hol", "jun", "kel", "lum",
                                    "nor", "ost", "pri", "rul", "sto", "tam", "uri", "vel", "wen", "yar", "zen"]
    private static let latinIDN = ["bücher", "münchen", "straßen", "café", "jäger", "größe", "señal", "façade"]
    private static let cyrillicIDN = ["пример", "почта", "магазин", "новости", "книги"]

    let seed: UInt64

    /// The A-label of a U-label from the fixed word lists, by libidn2 (STSCore.IDNA), the
    /// same conversion the scanner applies to names and mx patterns.
    static func aLabel(_ uLabel: String) -> String {
        guard let aLabel = IDNA.toASCII(uLabel) else { preconditionFailure("not an IDNA label: \(uLabel)") }
        return aLabel
    }

    /// The A-label name of the domain at 0-based `index`.
    func name(index: Int, scenario: Scenario) -> String {
        var rng = SplitMix64.stream(seed ^ UInt64(index), 2)
        let unique = UInt32(truncatingIfNeeded: index) &* 2_654_435_761 ^ UInt32(truncatingIfNeeded: seed)
        let suffix = Self.base36(unique)
        switch scenario {
        case .validIDN:
            let word = Self.latinIDN[rng.below(Self.latinIDN.count)]
            return Self.aLabel(word + "-" + String(unique)) + ".de"
        case .validIDNTLD:
            let word = Self.cyrillicIDN[rng.below(Self.cyrillicIDN.count)]
            return Self.aLabel(word + "-" + String(unique)) + ".xn--p1ai"
        default:
            var word = ""
            for _ in 0..<(2 + rng.below(2)) { word += Self.syllables[rng.below(Self.syllables.count)] }
            var pick = rng.below(100)
            var tld = "com"
            for (candidate, weight) in Self.tldWeights {
                pick -= weight
                if pick < 0 { tld = candidate; break }
            }
            return "\(word)-\(suffix).\(tld)"
        }
    }

    private static func base36(_ value: UInt32) -> String { String(value, radix: 36) }
}
