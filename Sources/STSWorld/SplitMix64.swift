/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast PRNG whose whole output is fixed by
/// its seed. The world generator uses it instead of `SystemRandomNumberGenerator` so the
/// same seed always yields the same world.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift; bias is negligible here).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform double in `[0, 1)`.
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// An independent generator derived from this seed and a stream number, so parts of the
    /// world (names, scenarios, keys) do not shift when another part draws more numbers.
    public static func stream(_ seed: UInt64, _ stream: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }
}
