/// Envoy-style success-rate outlier detection.
///
/// Every `interval`, the endpoints that served at least `minimumRequestVolume` requests in that interval are
/// compared. When there are at least `minimumHosts` of them, any whose success rate is below
/// `mean − stdevFactor × σ` is ejected, worst first.
///
/// ```swift
/// let successRate = SuccessRateEjectionConfiguration(
///     stdevFactor: 1.9,
///     minimumRequestVolume: 100,
///     minimumHosts: 5,
///     interval: .seconds(10)
/// )
/// ```
public struct SuccessRateEjectionConfiguration: Sendable, Hashable {
    /// The number of standard deviations below the mean that makes an endpoint an outlier.
    public var stdevFactor: Double
    /// Requests an endpoint must serve within one interval to be judged.
    public var minimumRequestVolume: Int
    /// Endpoints that must reach the request volume before anyone is judged.
    public var minimumHosts: Int
    /// How often success rates are evaluated and their counters reset.
    public var interval: Duration

    /// Creates a success-rate configuration.
    public init(
        stdevFactor: Double = 1.9,
        minimumRequestVolume: Int = 100,
        minimumHosts: Int = 5,
        interval: Duration = .seconds(10)
    ) {
        precondition(stdevFactor >= 0, "the stdev factor must not be negative")
        precondition(minimumRequestVolume >= 1 && minimumHosts >= 1, "minimums must be at least 1")
        precondition(interval > .zero, "the evaluation interval must be positive")
        self.stdevFactor = stdevFactor
        self.minimumRequestVolume = minimumRequestVolume
        self.minimumHosts = minimumHosts
        self.interval = interval
    }
}
