import Foundation

/// Draws ranks `1...count` with probability proportional to `1 / rank^exponent`, in constant time per draw, for any
/// exponent above zero: rejection-inversion sampling (Hörmann and Derflinger, 1996).
///
/// ```swift
/// var rng = SplitMix64(seed: 1)
/// let sampler = ZipfSampler(count: 1_000_000, exponent: 0.99)
/// let rank = sampler.next(using: &rng)   // 1 is the most popular
/// ```
struct ZipfSampler: Sendable {
    let count: Int64
    let exponent: Double
    private let hIntegralX1: Double
    private let hIntegralCount: Double
    private let s: Double

    init(count: Int64, exponent: Double) {
        precondition(count >= 1 && exponent > 0)
        self.count = count
        self.exponent = exponent
        self.hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
        self.hIntegralCount = Self.hIntegral(Double(count) + 0.5, exponent)
        self.s = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
    }

    func next(using rng: inout SplitMix64) -> Int64 {
        while true {
            let u = self.hIntegralCount + rng.nextUnitDouble() * (self.hIntegralX1 - self.hIntegralCount)
            let x = Self.hIntegralInverse(u, self.exponent)
            var k = Int64((x + 0.5).rounded(.down))
            if k < 1 { k = 1 } else if k > self.count { k = self.count }
            let kd = Double(k)
            if kd - x <= self.s || u >= Self.hIntegral(kd + 0.5, self.exponent) - Self.h(kd, self.exponent) {
                return k
            }
        }
    }

    private static func h(_ x: Double, _ exponent: Double) -> Double {
        exp(-exponent * log(x))
    }

    private static func hIntegral(_ x: Double, _ exponent: Double) -> Double {
        let logX = log(x)
        return helper2((1 - exponent) * logX) * logX
    }

    private static func hIntegralInverse(_ x: Double, _ exponent: Double) -> Double {
        var t = x * (1 - exponent)
        if t < -1 { t = -1 }
        return exp(helper1(t) * x)
    }

    /// `log1p(x) / x`, accurate near zero.
    private static func helper1(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x))
    }

    /// `expm1(x) / x`, accurate near zero.
    private static func helper2(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x))
    }
}
