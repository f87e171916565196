/// Exponential backoff with full jitter and a cap, shared by the pool's dialer and the proxy's reconnects.
///
/// The n-th delay (counting from zero) is drawn uniformly from `0 ... min(cap, base × 2ⁿ)`. Full jitter spreads
/// reconnect storms out better than equal or decorrelated jitter, at the cost of an occasional short wait.
///
/// ```swift
/// var backoff = ExponentialBackoff(base: .milliseconds(50), cap: .seconds(5))
/// let first = backoff.nextDelay()   // somewhere in 0 ... 50 ms
/// let second = backoff.nextDelay()  // somewhere in 0 ... 100 ms
/// backoff.reset()                   // after a successful connect
/// ```
public struct ExponentialBackoff: Sendable {
    /// The upper bound of the first delay.
    public let base: Duration
    /// No delay is ever longer than this.
    public let cap: Duration
    /// How many delays have been handed out since the last ``reset()``.
    public private(set) var attempt: Int = 0

    /// Creates a backoff. `base` must be positive and no larger than `cap`.
    public init(base: Duration, cap: Duration) {
        precondition(base > .zero, "ExponentialBackoff base must be positive")
        precondition(cap >= base, "ExponentialBackoff cap must be at least base")
        self.base = base
        self.cap = cap
    }

    /// The largest delay the current attempt may draw, before jitter.
    public var currentCeiling: Duration {
        // Past 62 doublings every practical base exceeds any cap, and the shift would overflow.
        let shift = min(self.attempt, 62)
        let baseNanoseconds = Self.nanoseconds(self.base)
        let capNanoseconds = Self.nanoseconds(self.cap)
        let (scaled, overflow) = baseNanoseconds.multipliedReportingOverflow(by: Int64(1) << shift)
        return .nanoseconds(overflow ? capNanoseconds : min(scaled, capNanoseconds))
    }

    /// Returns the next delay, drawing jitter from the system random number generator.
    public mutating func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return self.nextDelay(using: &generator)
    }

    /// Returns the next delay, drawing jitter from `generator` (tests pass a seeded one).
    public mutating func nextDelay<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Duration {
        let ceiling = Self.nanoseconds(self.currentCeiling)
        self.attempt += 1
        return .nanoseconds(Int64.random(in: 0...ceiling, using: &generator))
    }

    /// Starts again from the first delay.
    public mutating func reset() {
        self.attempt = 0
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
