/// A deterministic pseudo-random generator (xoshiro256**), seeded by SplitMix64.
///
/// Every random choice in the core, the emulators and the simulator comes from one of these, so a
/// 64-bit seed replays a run exactly. Not for cryptography.
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let n = Int.random(in: 0..<10, using: &rng)   // the same on every run
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A generator for a sub-component, so adding draws in one place does not shift another's.
    public mutating func fork() -> SeededRandom {
        SeededRandom(seed: next())
    }

    /// True with probability `p` (0...1).
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && Double(next() >> 11) / Double(1 << 53) < p
    }
}
