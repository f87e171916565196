/// Identifies a granted permit inside a state machine.
///
/// The generation ties the permit to the state it was granted in: a result reported after the breaker has moved
/// on is dropped, so a slow call started while closed cannot reopen a breaker that has since recovered.
///
/// ```swift
/// if case .permitted(let tag) = machine.acquirePermit(at: now).decision {
///     _ = machine.record(.success, duration: .milliseconds(3), for: tag, at: now + .milliseconds(3))
/// }
/// ```
public struct CircuitBreakerPermitTag: Sendable, Hashable {
    /// The state generation the permit was granted in.
    public var generation: UInt64
    /// A number unique among the machine's permits (``CircuitBreaker``'s lock-free permits, granted while closed or
    /// disabled, count from 2^63 so that they stay apart).
    public var sequence: UInt64
    /// The state the permit was granted in.
    public var state: CircuitBreakerState

    /// Creates a tag.
    public init(generation: UInt64, sequence: UInt64, state: CircuitBreakerState) {
        self.generation = generation
        self.sequence = sequence
        self.state = state
    }
}
