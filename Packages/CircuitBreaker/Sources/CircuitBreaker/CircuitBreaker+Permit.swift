extension CircuitBreaker {
    /// Permission for one call, to be reported back exactly once.
    ///
    /// ```swift
    /// let permit = try breaker.acquirePermit()
    /// do {
    ///     try await send()
    ///     permit.record(.success)
    /// } catch {
    ///     permit.record(.failure)
    /// }
    /// ```
    public struct Permit: Sendable {
        /// The breaker that granted the permit.
        public let breaker: CircuitBreaker
        /// The generation and sequence of the permit.
        public let tag: CircuitBreakerPermitTag
        /// When the permit was granted (or the instant passed to ``CircuitBreaker/acquirePermit(at:)``).
        public let acquiredAt: ClockType.Instant

        @usableFromInline
        init(breaker: CircuitBreaker, tag: CircuitBreakerPermitTag, acquiredAt: ClockType.Instant) {
            self.breaker = breaker
            self.tag = tag
            self.acquiredAt = acquiredAt
        }

        /// Reports the call's outcome with an explicit duration.
        @inlinable
        @discardableResult
        public func record(
            _ outcome: CircuitBreakerOutcome,
            duration: Duration
        ) -> CircuitBreakerStateMachine.RecordDecision {
            self.breaker.record(self, outcome, duration: duration)
        }

        /// Reports the call's outcome, timed from the moment the permit was granted.
        @inlinable
        @discardableResult
        public func record(_ outcome: CircuitBreakerOutcome) -> CircuitBreakerStateMachine.RecordDecision {
            self.breaker.record(self, outcome, at: self.breaker.clock.now)
        }

        /// Reports the call's outcome at `instant`, a reading of the breaker's clock the caller has just taken, so
        /// the breaker reads no clock.
        ///
        /// ```swift
        /// let permit = try breaker.acquirePermit(at: start)
        /// let reply = try await send()
        /// permit.record(.success, at: clock.now)
        /// ```
        @inlinable
        @discardableResult
        public func record(
            _ outcome: CircuitBreakerOutcome,
            at instant: ClockType.Instant
        ) -> CircuitBreakerStateMachine.RecordDecision {
            self.breaker.record(self, outcome, at: instant)
        }
    }
}
