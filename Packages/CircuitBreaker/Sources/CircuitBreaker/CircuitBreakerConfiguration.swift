/// Everything a breaker needs to judge a backend.
///
/// ```swift
/// var configuration = CircuitBreakerConfiguration()
/// configuration.slidingWindow = .timeBased(buckets: 10, bucketWidth: .seconds(1))
/// configuration.minimumNumberOfCalls = 20
/// configuration.failureRateThreshold = 0.5
/// configuration.slowCallDurationThreshold = .milliseconds(200)
/// configuration.slowCallRateThreshold = 0.8
/// ```
public struct CircuitBreakerConfiguration: Sendable {
    /// Which recent calls the closed breaker judges.
    public var slidingWindow: SlidingWindowKind = .countBased(calls: 100)
    /// The breaker does not judge a window with fewer calls (capped at a count-based window's size).
    public var minimumNumberOfCalls: Int = 20
    /// The failure rate, from 0 to 1, at which the closed breaker opens.
    public var failureRateThreshold: Double = 0.5
    /// The slow-call rate, from 0 to 1, at which the closed breaker opens.
    public var slowCallRateThreshold: Double = 1
    /// A call that takes at least this long is slow.
    public var slowCallDurationThreshold: Duration = .seconds(60)
    /// How long the breaker stays open.
    public var openDuration = OpenDurationPolicy(initial: .seconds(5), maximum: .seconds(300))
    /// Whether a timer moves an open breaker to half-open; otherwise the next `acquirePermit()` after the open
    /// duration does.
    public var automaticTransitionFromOpenToHalfOpen = false
    /// How a half-open breaker tests the backend.
    public var halfOpen = HalfOpenPolicy()
    /// How `run(_:)` turns thrown errors into outcomes.
    public var errorClassifier = CircuitBreakerErrorClassifier.default
    /// How many unread events the event stream keeps; older ones are dropped first.
    public var eventBufferSize = 256

    /// Creates the default configuration.
    public init() {}

    var effectiveMinimumNumberOfCalls: Int {
        switch self.slidingWindow {
        case .countBased(let calls): max(1, min(self.minimumNumberOfCalls, calls))
        case .timeBased: max(1, self.minimumNumberOfCalls)
        }
    }
}
