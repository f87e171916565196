/// How a call that went through the breaker ended.
///
/// `ignored` results release their permit but neither count towards the failure rate nor towards closing a
/// half-open breaker, which suits cancellations and errors that say nothing about the backend's health.
///
/// ```swift
/// permit.record(.failure, duration: .milliseconds(12))
/// ```
public enum CircuitBreakerOutcome: Sendable, Hashable {
    case success
    case failure
    case ignored
}
