/// The `circuit_breaker:` extension: a per-server breaker that makes requests to a failing server fail fast.
///
/// ```yaml
/// circuit_breaker:
///   failure_rate: 50        # percent of failed calls in the window that opens the breaker
///   window: 100             # calls in the sliding window
///   minimum_calls: 20       # calls before the rate counts
///   open_duration: 1000     # milliseconds before a trial call (doubles, with jitter, up to max_open_duration)
///   max_open_duration: 30000
/// ```
public struct CircuitBreakerSettings: Sendable, Hashable {
    /// Failure rate, in percent, that opens the breaker.
    public var failureRatePercent: Double = 50
    /// Calls in the count-based sliding window.
    public var windowSize: Int = 100
    /// Calls recorded before the failure rate is considered.
    public var minimumCalls: Int = 20
    /// First open duration.
    public var openDuration: Duration = .seconds(1)
    /// Longest open duration.
    public var maxOpenDuration: Duration = .seconds(30)

    /// A breaker with the defaults above.
    public init() {}
}
