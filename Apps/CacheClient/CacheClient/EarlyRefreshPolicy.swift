#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Stampede protection over time: probabilistic early expiration ("XFetch") and TTL jitter.
///
/// A reader of a key that still has `remaining` time to live refreshes it early when
/// `remaining ≤ recomputeTime × beta × −ln(u)`, for a uniform `u` in `(0, 1]`: the closer the expiry, the more
/// likely, so one reader usually refreshes a hot key before it expires while the others keep reading the
/// cached value. TTL jitter shortens each written TTL by up to `ttlJitter` of itself, so keys written
/// together do not expire together.
///
/// ```swift
/// let policy = EarlyRefreshPolicy(recomputeTime: .milliseconds(200), beta: 1, ttlJitter: 0.1)
/// policy.shouldRefresh(remaining: .seconds(30), random: 0.5)    // false
/// policy.shouldRefresh(remaining: .milliseconds(50), random: 0.5) // true: 50 ms ≤ 200 ms × ln 2
/// policy.jitteredTTL(.seconds(60), random: 0.5)                  // 57 s
/// ```
public struct EarlyRefreshPolicy: Sendable, Hashable {
    /// About how long the value takes to compute (XFetch's δ).
    public var recomputeTime: Duration
    /// Eagerness (XFetch's β): above 1 refreshes earlier, below 1 later.
    public var beta: Double
    /// The share of a TTL, in `0...1`, by which each write's TTL is randomly shortened.
    public var ttlJitter: Double

    /// Creates a policy.
    public init(recomputeTime: Duration = .milliseconds(100), beta: Double = 1, ttlJitter: Double = 0.1) {
        precondition(beta > 0, "beta must be positive")
        precondition((0...1).contains(ttlJitter), "ttlJitter must be in 0...1")
        self.recomputeTime = recomputeTime
        self.beta = beta
        self.ttlJitter = ttlJitter
    }

    /// Whether a reader that found `remaining` time to live should refresh now; `random` is uniform in `(0, 1]`.
    public func shouldRefresh(remaining: Duration, random: Double) -> Bool {
        guard remaining > .zero else { return true }
        let u = min(max(random, Double.leastNonzeroMagnitude), 1)
        let threshold = Self.seconds(self.recomputeTime) * self.beta * -log(u)
        return Self.seconds(remaining) <= threshold
    }

    /// `ttl` shortened by `ttlJitter × random × ttl`; `random` is uniform in `[0, 1)`. Never below 1 ms.
    public func jitteredTTL(_ ttl: Duration, random: Double) -> Duration {
        let factor = 1 - self.ttlJitter * min(max(random, 0), 1)
        return max(.milliseconds(1), .seconds(Self.seconds(ttl) * factor))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
