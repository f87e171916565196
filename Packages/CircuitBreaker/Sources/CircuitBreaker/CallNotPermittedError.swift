/// Thrown when the breaker refuses a call.
///
/// ```swift
/// do {
///     let permit = try breaker.acquirePermit()
///     // ...
/// } catch {
///     print("refused while \(error.state); retry after \(String(describing: error.retryAfter))")
/// }
/// ```
public struct CallNotPermittedError: Error, Sendable, Hashable {
    /// The state that refused the call.
    public var state: CircuitBreakerState
    /// How long until the breaker may let calls through again, when the breaker knows.
    public var retryAfter: Duration?

    /// Creates the error.
    public init(state: CircuitBreakerState, retryAfter: Duration? = nil) {
        self.state = state
        self.retryAfter = retryAfter
    }
}
