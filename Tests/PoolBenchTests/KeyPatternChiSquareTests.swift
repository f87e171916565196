import Foundation
import Testing

@testable import PoolBench

/// Pearson's chi-square of key samples against each pattern's expected distribution, with a fixed seed. The critical
/// values are far above the 0.1 % level, so the tests catch a wrong distribution, not bad luck.
@Suite struct KeyPatternChiSquareTests {
    private static let samples = 100_000

    private func draw(_ pattern: KeyPattern, range: ClosedRange<Int64> = 0...999) -> [Int64] {
        var generator = KeyGenerator(pattern: pattern, range: range, seed: 20_240_611)
        return (0..<Self.samples).map { _ in generator.next() }
    }

    /// Counts per bucket of `width` consecutive keys from 0.
    private func bucketCounts(_ keys: [Int64], width: Int64, buckets: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: buckets)
        for key in keys { counts[Int(key / width)] += 1 }
        return counts
    }

    static func chiSquare(observed: [Int], probabilities: [Double]) -> Double {
        let total = Double(observed.reduce(0, +))
        return zip(observed, probabilities).reduce(0) { sum, pair in
            let expected = total * pair.1
            return sum + (Double(pair.0) - expected) * (Double(pair.0) - expected) / expected
        }
    }

    @Test func uniformIsFlatOverBuckets() {
        let counts = self.bucketCounts(self.draw(.uniform), width: 50, buckets: 20)
        let statistic = Self.chiSquare(observed: counts, probabilities: Array(repeating: 1.0 / 20, count: 20))
        // 19 degrees of freedom: the 0.1 % critical value is 43.8.
        #expect(statistic < 60, "chi-square \(statistic)")
    }

    @Test func sequentialVisitsEveryKeyEquallyInOrder() {
        let keys = self.draw(.sequential)
        #expect(keys.prefix(3) == [0, 1, 2])
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $1 == ($0 + 1) % 1_000 })
        let counts = self.bucketCounts(keys, width: 50, buckets: 20)
        #expect(Self.chiSquare(observed: counts, probabilities: Array(repeating: 1.0 / 20, count: 20)) < 1e-9)
    }

    @Test func gaussianMatchesTheNormalBucketProbabilities() {
        let keys = self.draw(.gaussian(median: nil, standardDeviation: nil))
        let counts = self.bucketCounts(keys, width: 50, buckets: 20)
        // Keys are mean + σ·z rounded and clamped, so bucket [a, b] holds z in [a − 0.5, b + 0.5), open at the ends.
        let mean = 499.5
        let sigma = 1_000.0 / 6
        func cdf(_ x: Double) -> Double { 0.5 * (1 + erf((x - mean) / (sigma * 2.0.squareRoot()))) }
        let probabilities = (0..<20).map { bucket -> Double in
            let low = bucket == 0 ? 0 : cdf(Double(bucket * 50) - 0.5)
            let high = bucket == 19 ? 1 : cdf(Double(bucket * 50 + 49) + 0.5)
            return high - low
        }
        let statistic = Self.chiSquare(observed: counts, probabilities: probabilities)
        #expect(statistic < 60, "chi-square \(statistic)")
        // And not flat: the same counts fail the uniform hypothesis by far.
        #expect(Self.chiSquare(observed: counts, probabilities: Array(repeating: 1.0 / 20, count: 20)) > 1_000)
    }

    @Test(arguments: [0.99, 1.2])
    func zipfMatchesTheRankProbabilities(exponent: Double) {
        let keys = self.draw(.zipf(exponent: exponent))
        let weights = (1...1_000).map { pow(Double($0), -exponent) }
        let harmonic = weights.reduce(0, +)
        // Ranks 1 to 10 alone, then wider groups so every cell expects plenty of samples.
        let edges = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 21, 51, 101, 201, 501, 1_001]
        var observed: [Int] = []
        var probabilities: [Double] = []
        for (low, high) in zip(edges, edges.dropFirst()) {
            observed.append(keys.filter { $0 + 1 >= low && $0 + 1 < high }.count)
            probabilities.append(weights[(low - 1)..<(high - 1)].reduce(0, +) / harmonic)
        }
        let statistic = Self.chiSquare(observed: observed, probabilities: probabilities)
        // 15 degrees of freedom: the 0.1 % critical value is 37.7.
        #expect(statistic < 55, "chi-square \(statistic) at exponent \(exponent)")
    }
}
