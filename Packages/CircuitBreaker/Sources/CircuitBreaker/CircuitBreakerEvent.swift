/// Something an observer of a breaker may want to know.
///
/// ```swift
/// Task {
///     for await event in breaker.events {
///         logger.info("breaker: \(event)")
///     }
/// }
/// ```
public enum CircuitBreakerEvent: Sendable, Hashable {
    /// The breaker changed state.
    case stateTransition(CircuitBreakerTransition)
    /// A call was refused.
    case callNotPermitted(CallNotPermittedError)
    /// Unreported half-open permits were reclaimed after their timeout.
    case permitsReclaimed(count: Int)
    /// A result for a stale permit was dropped.
    case lateResultDropped(CircuitBreakerPermitTag)
}
