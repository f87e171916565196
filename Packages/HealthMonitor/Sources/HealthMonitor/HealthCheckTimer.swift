/// A timer the state machine asks its shell to start; when it fires, hand it back through
/// ``HealthMonitorStateMachine/timerFired(_:now:)``.
///
/// Timers are never cancelled: a timer that no longer matters is ignored when it fires.
///
/// ```swift
/// for timer in actions.timers {
///     try await clock.sleep(until: timer.deadline)
///     actions = machine.timerFired(timer, now: clock.now)
/// }
/// ```
public struct HealthCheckTimer<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable, Hashable {
    /// What the timer is for.
    public enum Purpose: Sendable, Hashable {
        /// Time to probe the endpoint again.
        case check(Endpoint, id: UInt64)
        /// The endpoint's ejection ends.
        case restore(Endpoint, id: UInt64)
        /// Time to compare the success rates of all endpoints.
        case successRateEvaluation
    }

    /// What the timer is for.
    public let purpose: Purpose
    /// When the timer fires.
    public let deadline: Instant

    /// Creates a timer.
    @inlinable
    public init(purpose: Purpose, deadline: Instant) {
        self.purpose = purpose
        self.deadline = deadline
    }
}
