extension CircuitBreakerTransition {
    /// Why a breaker changed state.
    ///
    /// ```swift
    /// if case .failureRateExceeded(let rate) = transition.reason { print("tripped at \(rate)") }
    /// ```
    public enum Reason: Sendable, Hashable {
        /// The closed window's failure rate reached the threshold.
        case failureRateExceeded(Double)
        /// The closed window's slow-call rate reached the threshold.
        case slowCallRateExceeded(Double)
        /// The open duration ended.
        case openDurationElapsed
        /// Enough half-open trials succeeded.
        case trialCallsSucceeded
        /// Too many half-open trials failed or were slow.
        case trialCallsFailed
        /// An operator forced the breaker open.
        case forcedOpen
        /// An operator disabled the breaker.
        case disabled
        /// An operator reset the breaker to closed.
        case reset
    }
}
