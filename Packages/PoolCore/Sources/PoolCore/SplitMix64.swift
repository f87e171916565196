/// A tiny seeded generator, so jitter is reproducible in tests.
@usableFromInline struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @usableFromInline init(seed: UInt64) {
        self.state = seed
    }

    @inlinable mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
