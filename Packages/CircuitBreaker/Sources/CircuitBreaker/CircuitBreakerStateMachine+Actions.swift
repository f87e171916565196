extension CircuitBreakerStateMachine {
    /// What the machine decided about a permit request.
    ///
    /// ```swift
    /// switch machine.acquirePermit(at: origin.duration(to: clock.now)).decision {
    /// case .permitted(let tag): runCall(tag)
    /// case .notPermitted(let error): throw error
    /// }
    /// ```
    public enum AcquireDecision: Sendable, Hashable {
        /// The call may go ahead; report its result with this tag.
        case permitted(CircuitBreakerPermitTag)
        /// The call must not go ahead.
        case notPermitted(CallNotPermittedError)
    }

    /// The result of ``CircuitBreakerStateMachine/acquirePermit(at:)``: a decision plus what the shell must publish.
    public struct AcquireAction: Sendable, Hashable {
        /// Whether the call may go ahead.
        public var decision: AcquireDecision
        /// A state change made on the way (open to half-open, lazily).
        public var transition: CircuitBreakerTransition?
        /// Half-open permits reclaimed on the way.
        public var reclaimedPermits: Int
    }

    /// What the machine did with a reported result.
    public enum RecordDecision: Sendable, Hashable {
        /// The result counted, and whether it was slow.
        case recorded(CircuitBreakerOutcome, slow: Bool)
        /// The permit was stale (an earlier generation, or reclaimed), so the result was dropped.
        case dropped
    }

    /// The result of ``CircuitBreakerStateMachine/record(_:duration:for:at:)``.
    public struct RecordAction: Sendable, Hashable {
        /// What happened to the result.
        public var decision: RecordDecision
        /// The state change the result caused, if any. When it enters `.open`, the shell may schedule
        /// ``CircuitBreakerStateMachine/openDurationElapsed(generation:at:)`` for
        /// ``CircuitBreakerStateMachine/openUntil``.
        public var transition: CircuitBreakerTransition?
    }
}
