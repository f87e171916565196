/// Passive outlier detection from reported request outcomes, and how long outliers stay ejected.
///
/// The n-th ejection of an endpoint lasts `baseEjectionTime × n`, capped at `maxEjectionTime`. The count `n`
/// drops by one for every `ejectionDecayInterval` the endpoint spends in service and healthy. At most
/// `maxEjectionPercent` of the endpoints are ejected at once.
///
/// ```swift
/// let envoyLike = OutlierDetectionConfiguration(consecutiveFailures: 5, maxEjectionPercent: 10)
/// let nutcracker = OutlierDetectionConfiguration.twemproxy(
///     serverFailureLimit: 2,
///     serverRetryTimeout: .seconds(30)
/// )
/// ```
public struct OutlierDetectionConfiguration: Sendable, Hashable {
    /// Consecutive failures that eject an endpoint; `nil` turns this rule off.
    public var consecutiveFailures: Int?
    /// Success-rate outlier detection; `nil` turns this rule off.
    public var successRate: SuccessRateEjectionConfiguration?
    /// The duration of a first ejection.
    public var baseEjectionTime: Duration
    /// The longest an ejection may last.
    public var maxEjectionTime: Duration
    /// The time in service that forgives one past ejection.
    public var ejectionDecayInterval: Duration
    /// The share of endpoints, in percent, that may be ejected at the same time.
    public var maxEjectionPercent: Double

    /// Creates an outlier detection configuration.
    public init(
        consecutiveFailures: Int? = 5,
        successRate: SuccessRateEjectionConfiguration? = nil,
        baseEjectionTime: Duration = .seconds(30),
        maxEjectionTime: Duration = .seconds(300),
        ejectionDecayInterval: Duration = .seconds(30),
        maxEjectionPercent: Double = 10
    ) {
        precondition(consecutiveFailures.map { $0 >= 1 } ?? true, "the failure limit must be at least 1")
        precondition(baseEjectionTime > .zero && maxEjectionTime >= baseEjectionTime, "ejection times are invalid")
        precondition(ejectionDecayInterval > .zero, "the decay interval must be positive")
        precondition((0...100).contains(maxEjectionPercent), "the maximum ejection percent must be in 0...100")
        self.consecutiveFailures = consecutiveFailures
        self.successRate = successRate
        self.baseEjectionTime = baseEjectionTime
        self.maxEjectionTime = maxEjectionTime
        self.ejectionDecayInterval = ejectionDecayInterval
        self.maxEjectionPercent = maxEjectionPercent
    }

    /// twemproxy's `auto_eject_hosts`: `serverFailureLimit` consecutive failures eject an endpoint for exactly
    /// `serverRetryTimeout`, after which it is retried. Any number of endpoints may be ejected.
    ///
    /// ```swift
    /// let detection = OutlierDetectionConfiguration.twemproxy(serverFailureLimit: 3, serverRetryTimeout: .seconds(30))
    /// ```
    public static func twemproxy(serverFailureLimit: Int = 2, serverRetryTimeout: Duration = .seconds(30)) -> Self {
        Self(
            consecutiveFailures: serverFailureLimit,
            successRate: nil,
            baseEjectionTime: serverRetryTimeout,
            maxEjectionTime: serverRetryTimeout,
            ejectionDecayInterval: serverRetryTimeout,
            maxEjectionPercent: 100
        )
    }
}
