/// Running totals of what went through a breaker, since it was created.
///
/// Successful and failed calls include slow ones; `slow` counts them once more. Results dropped as stale are
/// counted only in `droppedLateResults`.
///
/// ```swift
/// let counters = breaker.counters
/// print(counters.failed, counters.notPermitted)
/// ```
public struct CircuitBreakerCounters: Sendable, Hashable {
    /// Calls recorded as successful.
    public var successful = 0
    /// Calls recorded as failed.
    public var failed = 0
    /// Calls recorded as ignored.
    public var ignored = 0
    /// Calls refused a permit.
    public var notPermitted = 0
    /// Successful or failed calls that took at least the slow-call threshold.
    public var slow = 0
    /// Results dropped because their permit belonged to an earlier generation or had been reclaimed.
    public var droppedLateResults = 0
    /// Half-open permits reclaimed after their timeout.
    public var reclaimedPermits = 0

    /// Creates zeroed counters.
    public init() {}
}
