/// How often and how patiently active health checks probe each endpoint.
///
/// The delay before the next check is `interval` while the endpoint is healthy and `unhealthyInterval`
/// while it is unhealthy or not yet known, each spread by ±`jitter` so that checks of many endpoints do not
/// line up.
///
/// ```swift
/// let checks = ActiveHealthCheckConfiguration(
///     interval: .seconds(1),
///     unhealthyInterval: .seconds(5),
///     jitter: 0.1,
///     timeout: .milliseconds(500),
///     healthyThreshold: 2,
///     unhealthyThreshold: 3
/// )
/// ```
public struct ActiveHealthCheckConfiguration: Sendable, Hashable {
    /// The delay between checks of a healthy endpoint.
    public var interval: Duration
    /// The delay between checks of an endpoint that is unhealthy or has no verdict yet.
    public var unhealthyInterval: Duration
    /// The relative spread of each delay, in `0...1`: a delay falls in `base × (1 ± jitter)`.
    public var jitter: Double
    /// How long a probe may run before it counts as a failure.
    public var timeout: Duration
    /// Consecutive successes that make an unhealthy endpoint healthy.
    public var healthyThreshold: Int
    /// Consecutive failures that make a healthy endpoint unhealthy.
    public var unhealthyThreshold: Int

    /// Creates an active check configuration.
    public init(
        interval: Duration = .seconds(1),
        unhealthyInterval: Duration = .seconds(5),
        jitter: Double = 0.1,
        timeout: Duration = .seconds(1),
        healthyThreshold: Int = 2,
        unhealthyThreshold: Int = 3
    ) {
        precondition(interval > .zero && unhealthyInterval > .zero, "check intervals must be positive")
        precondition((0...1).contains(jitter), "jitter must be in 0...1")
        precondition(timeout > .zero, "the probe timeout must be positive")
        precondition(healthyThreshold >= 1 && unhealthyThreshold >= 1, "health thresholds must be at least 1")
        self.interval = interval
        self.unhealthyInterval = unhealthyInterval
        self.jitter = jitter
        self.timeout = timeout
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
    }
}
