import Foundation

/// Produces key numbers in `range` following a ``KeyPattern``, deterministically from a seed.
///
/// ```swift
/// var keys = KeyGenerator(pattern: .zipf(exponent: 1.1), range: 0...9_999, seed: 7)
/// let key = keys.next()   // mostly small numbers
/// ```
struct KeyGenerator: Sendable {
    let pattern: KeyPattern
    let range: ClosedRange<Int64>
    private var rng: SplitMix64
    private var cursor: Int64
    private let zipf: ZipfSampler?
    private var spareGaussian: Double?

    /// - Parameter start: where a sequential walk begins (an offset into the range), so connections can split it.
    init(pattern: KeyPattern, range: ClosedRange<Int64>, seed: UInt64, start: Int64 = 0) {
        self.pattern = pattern
        self.range = range
        self.rng = SplitMix64(seed: seed)
        let width = range.upperBound - range.lowerBound + 1
        self.cursor = ((start % width) + width) % width
        if case .zipf(let exponent) = pattern {
            self.zipf = ZipfSampler(count: width, exponent: exponent)
        } else {
            self.zipf = nil
        }
    }

    var width: Int64 { self.range.upperBound - self.range.lowerBound + 1 }

    mutating func next() -> Int64 {
        switch self.pattern {
        case .uniform:
            return self.range.lowerBound + Int64(bitPattern: self.rng.next() % UInt64(self.width))
        case .sequential:
            let key = self.range.lowerBound + self.cursor
            self.cursor += 1
            if self.cursor == self.width { self.cursor = 0 }
            return key
        case .gaussian(let median, let standardDeviation):
            let mean = median ?? (Double(self.range.lowerBound) + Double(self.range.upperBound)) / 2
            let sigma = standardDeviation ?? Double(self.width) / 6
            let value = (mean + sigma * self.nextStandardNormal()).rounded()
            return Int64(min(max(value, Double(self.range.lowerBound)), Double(self.range.upperBound)))
        case .zipf:
            return self.range.lowerBound + self.zipf!.next(using: &self.rng) - 1
        }
    }

    /// Box–Muller; the second value of each pair is kept for the next call.
    private mutating func nextStandardNormal() -> Double {
        if let spare = self.spareGaussian {
            self.spareGaussian = nil
            return spare
        }
        var u1 = self.rng.nextUnitDouble()
        while u1 == 0 { u1 = self.rng.nextUnitDouble() }
        let u2 = self.rng.nextUnitDouble()
        let radius = (-2 * log(u1)).squareRoot()
        self.spareGaussian = radius * sin(2 * .pi * u2)
        return radius * cos(2 * .pi * u2)
    }
}
