/// Returns the same raw value forever, so jitter is predictable: `0` gives the shortest delay,
/// `(1 << 53) - 1` the longest, because `Double.random(in: 0..<1)` reads only the low 53 bits.
struct FixedRandomNumberGenerator: RandomNumberGenerator, Sendable {
    /// Jitter that lands exactly on the base delay: the unit draw is 0.5.
    static var middle: FixedRandomNumberGenerator { FixedRandomNumberGenerator(value: 1 << 52) }

    var value: UInt64

    mutating func next() -> UInt64 { self.value }
}
