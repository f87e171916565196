/// How long the breaker stays open: exponential in the number of consecutive openings, capped, with jitter.
///
/// The n-th consecutive opening (counting from one) waits `min(initial × multiplierⁿ⁻¹, maximum)`, scaled by a
/// random factor in `1 - jitter ..< 1 + jitter` and capped again at `maximum`. Jitter keeps a fleet of
/// breakers that tripped together from probing the backend together. The count restarts when the breaker closes.
///
/// ```swift
/// let policy = OpenDurationPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(30), jitter: 0.1)
/// policy.duration(forOpening: 3, randomFraction: 0.5)  // 4 seconds
/// ```
public struct OpenDurationPolicy: Sendable, Hashable {
    /// The wait after the first opening, before jitter.
    public var initial: Duration
    /// The growth factor per consecutive opening (1 keeps the wait constant).
    public var multiplier: Double
    /// No wait is ever longer than this.
    public var maximum: Duration
    /// The relative spread, from 0 (none) to 1.
    public var jitter: Double

    /// Creates a policy; `initial` must be positive and at most `maximum`.
    public init(initial: Duration, multiplier: Double = 2, maximum: Duration, jitter: Double = 0.2) {
        precondition(initial > .zero, "the open duration must be positive")
        precondition(maximum >= initial, "the maximum open duration must be at least the initial one")
        precondition(multiplier >= 1, "the open duration must not shrink")
        precondition((0...1).contains(jitter), "jitter is a fraction between 0 and 1")
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// A fixed wait without growth or jitter.
    public static func constant(_ duration: Duration) -> Self {
        Self(initial: duration, multiplier: 1, maximum: duration, jitter: 0)
    }

    /// The wait for the `opening`-th consecutive opening, given a uniform random number in `0 ..< 1`.
    public func duration(forOpening opening: Int, randomFraction: Double) -> Duration {
        let maximumSeconds = self.maximum.secondsAsDouble
        var seconds = self.initial.secondsAsDouble
        var step = 1
        while step < opening && seconds < maximumSeconds {
            seconds *= self.multiplier
            step += 1
        }
        seconds = min(seconds, maximumSeconds)
        let factor = 1 - self.jitter + 2 * self.jitter * randomFraction
        return min(Duration.seconds(seconds * factor), self.maximum)
    }
}
