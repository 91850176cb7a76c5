/// Decides which scenario each rank of the world gets. Adopting domains (a fraction
/// `adoption` of all) and non-adopting ones form two pools; every special scenario of a
/// pool gets `max(1, pool * share)` domains (as many as fit, in declaration order, for tiny
/// worlds), the rest of the pool is filled with the common kinds by weight, and the
/// whole list is shuffled with the seeded generator.
///
/// `hangingHosts`: when set, the share of adopters whose policy host accepts and never
/// answers (`fetch-slow-sleep`, all on the shared policy-host address) instead of its usual
/// special share, and no dripping hosts (`fetch-slow-drip`), so these are the world's only
/// slow hosts (`world build --hanging-hosts`; 0 gives a world with none).
///
/// `ipv6MX`: include the IPv6-only MX host (`mx-ipv6-only`, `world build --ipv6-mx`). Off by
/// default: IPv6 loopback has the one address `::1`, so a world that listens there cannot run
/// beside another that does, unlike the 127.B.x.x blocks.
enum ScenarioMix {
    static func assign(domains: Int, adoption: Double, seed: UInt64, hangingHosts: Double? = nil,
                       ipv6MX: Bool = false) -> [Scenario] {
        let adopters = min(domains, Int((Double(domains) * adoption).rounded()))
        var rng = SplitMix64.stream(seed, 1)
        var shares: [Scenario: Int] = [:]
        if let hangingHosts {
            // Exactly that share hangs: the other slow kind (a dripping body) is left out.
            shares[.fetchSlowSleep] = Int((Double(adopters) * hangingHosts).rounded())
            shares[.fetchSlowDrip] = 0
        }
        if !ipv6MX { shares[.mxIPv6Only] = 0 }
        var list = fill(pool: adopters, kinds: Scenario.allCases.filter(\.adopting), counts: shares, rng: &rng)
        list += fill(pool: domains - adopters, kinds: Scenario.allCases.filter { !$0.adopting }, counts: [:], rng: &rng)
        // Fisher-Yates with the seeded generator.
        if list.count > 1 {
            for i in stride(from: list.count - 1, to: 0, by: -1) {
                list.swapAt(i, rng.below(i + 1))
            }
        }
        return list
    }

    /// `counts`: special kinds given an exact number of domains instead of their share.
    private static func fill(pool: Int, kinds: [Scenario], counts: [Scenario: Int], rng: inout SplitMix64) -> [Scenario] {
        guard pool > 0 else { return [] }
        var list: [Scenario] = []
        list.reserveCapacity(pool)
        let common = kinds.filter { $0.commonWeight != nil }
        // Each common kind once first, so small worlds still show them.
        for kind in common where list.count < pool { list.append(kind) }
        for kind in kinds where kind.commonWeight == nil {
            let count = counts[kind] ?? max(1, Int(Double(pool) * kind.specialShare))
            for _ in 0..<count where list.count < pool { list.append(kind) }
        }
        let total = common.reduce(0) { $0 + $1.commonWeight! }
        while list.count < pool {
            var pick = rng.below(total)
            for kind in common {
                pick -= kind.commonWeight!
                if pick < 0 { list.append(kind); break }
            }
        }
        return list
    }
}
