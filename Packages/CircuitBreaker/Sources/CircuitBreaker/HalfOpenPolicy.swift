/// How a half-open breaker tests the backend.
///
/// At most `permittedCalls` trial calls are granted per half-open period. The breaker closes as soon as
/// `successesToClose` trials succeeded, and reopens as soon as the failed trials reach `failureRateThreshold` of
/// `permittedCalls`, or closing is no longer possible. A slow trial counts as a failed one. A permit that is not
/// reported back within `permitTimeout` is reclaimed, so a caller that forgets to report cannot wedge the breaker.
///
/// ```swift
/// let halfOpen = HalfOpenPolicy(permittedCalls: 3, successesToClose: 2, permitTimeout: .seconds(5))
/// ```
public struct HalfOpenPolicy: Sendable, Hashable {
    /// Trial calls granted per half-open period.
    public var permittedCalls: Int
    /// Successful trials that close the breaker.
    public var successesToClose: Int
    /// The share of `permittedCalls` that, once failed, reopens the breaker.
    public var failureRateThreshold: Double
    /// How long a trial permit may stay unreported before it is reclaimed.
    public var permitTimeout: Duration

    /// Creates a policy; `successesToClose` defaults to every permitted call.
    public init(
        permittedCalls: Int = 5,
        successesToClose: Int? = nil,
        failureRateThreshold: Double = 0.5,
        permitTimeout: Duration = .seconds(30)
    ) {
        precondition(permittedCalls > 0, "half-open needs at least one permitted call")
        let successesToClose = successesToClose ?? permittedCalls
        precondition((1...permittedCalls).contains(successesToClose), "successesToClose must be in 1...permittedCalls")
        precondition(failureRateThreshold > 0 && failureRateThreshold <= 1, "the threshold is a fraction in (0, 1]")
        precondition(permitTimeout > .zero, "the permit timeout must be positive")
        self.permittedCalls = permittedCalls
        self.successesToClose = successesToClose
        self.failureRateThreshold = failureRateThreshold
        self.permitTimeout = permitTimeout
    }
}
