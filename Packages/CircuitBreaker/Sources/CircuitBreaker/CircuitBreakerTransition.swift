/// One change of a breaker's state.
///
/// ```swift
/// for await event in breaker.events {
///     if case .stateTransition(let transition) = event, transition.to == .open {
///         print("open for \(transition.openDuration!) because \(transition.reason)")
///     }
/// }
/// ```
public struct CircuitBreakerTransition: Sendable, Hashable {
    /// The state left.
    public var from: CircuitBreakerState
    /// The state entered.
    public var to: CircuitBreakerState
    /// The generation that starts with this transition; permits of earlier generations are stale.
    public var generation: UInt64
    /// Why the state changed.
    public var reason: Reason
    /// How long the breaker stays open, when `to` is `.open`.
    public var openDuration: Duration?

    /// Creates a transition.
    public init(
        from: CircuitBreakerState,
        to: CircuitBreakerState,
        generation: UInt64,
        reason: Reason,
        openDuration: Duration? = nil
    ) {
        self.from = from
        self.to = to
        self.generation = generation
        self.reason = reason
        self.openDuration = openDuration
    }
}
