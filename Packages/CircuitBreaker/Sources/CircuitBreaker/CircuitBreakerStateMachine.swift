/// The breaker's logic as a value: every event is a mutating function that returns what to do.
///
/// The machine never reads a clock, sleeps, locks or publishes; ``CircuitBreaker`` does those things around it.
/// Time is passed in as `now`, the time elapsed on any monotonic clock since an origin the caller picks (the
/// shell uses its creation), so tests drive the machine with plain durations. Not being generic over an instant
/// type keeps the hot path free of generic-metadata lookups.
///
/// Every state change starts a new generation. Permits carry the generation they were granted in, and a result
/// for a permit of an earlier generation is dropped, as is the result for a half-open permit that was reclaimed.
///
/// ```swift
/// var machine = CircuitBreakerStateMachine(configuration: configuration)
/// let now = origin.duration(to: clock.now)
/// let action = machine.acquirePermit(at: now)
/// if case .permitted(let tag) = action.decision {
///     let recorded = machine.record(.failure, duration: .milliseconds(40), for: tag, at: now + .milliseconds(40))
///     if let transition = recorded.transition { publish(transition) }
/// }
/// ```
public struct CircuitBreakerStateMachine: Sendable {
    /// The rules the machine follows.
    public let configuration: CircuitBreakerConfiguration
    /// The current state.
    public private(set) var state: CircuitBreakerState = .closed
    /// Starts at zero and grows by one on every state change.
    public private(set) var generation: UInt64 = 0
    /// Running totals since creation.
    public private(set) var counters = CircuitBreakerCounters()
    /// Openings since the breaker was last closed; drives the exponential open duration.
    public private(set) var consecutiveOpenings = 0
    /// When an open breaker may move to half-open, as time since the origin.
    public private(set) var openUntil: Duration?

    private var window: SlidingWindow
    private var trials = HalfOpenTrials()
    private var nextSequence: UInt64 = 0
    private var randomSource: any RandomNumberGenerator & Sendable

    /// Creates a closed machine; `randomSource` draws the open-duration jitter.
    public init(
        configuration: CircuitBreakerConfiguration,
        randomSource: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        precondition((0...1).contains(configuration.failureRateThreshold), "the failure rate threshold is a fraction")
        precondition(
            (0...1).contains(configuration.slowCallRateThreshold),
            "the slow-call rate threshold is a fraction"
        )
        self.configuration = configuration
        self.window = SlidingWindow(configuration.slidingWindow)
        self.randomSource = randomSource
    }

    // MARK: - Calls

    /// Whether ``acquirePermit(at:)`` grants every call without looking at `now`, changing nothing but the permit
    /// sequence: true while closed or disabled. A shell may then grant permits from a published copy of ``state``
    /// and ``generation`` without its lock, as ``CircuitBreaker`` does, if it republishes after every transition.
    ///
    /// ```swift
    /// if machine.grantsPermitsWithoutTime { publish(machine.state, machine.generation) }
    /// ```
    public var grantsPermitsWithoutTime: Bool {
        self.state == .closed || self.state == .disabled
    }

    /// Asks to let one call through.
    public mutating func acquirePermit(at now: Duration) -> AcquireAction {
        switch self.state {
        case .closed, .disabled:
            return AcquireAction(decision: .permitted(self.makeTag()), transition: nil, reclaimedPermits: 0)
        case .forcedOpen:
            return AcquireAction(decision: self.refuse(retryAfter: nil), transition: nil, reclaimedPermits: 0)
        case .open:
            if let openUntil = self.openUntil, now < openUntil {
                let decision = self.refuse(retryAfter: openUntil - now)
                return AcquireAction(decision: decision, transition: nil, reclaimedPermits: 0)
            }
            let transition = self.transition(to: .halfOpen, reason: .openDurationElapsed, at: now)
            var action = self.acquireTrialPermit(at: now)
            action.transition = transition
            return action
        case .halfOpen:
            return self.acquireTrialPermit(at: now)
        }
    }

    /// Reports how a permitted call ended.
    ///
    /// A call is slow when `duration` reaches the slow-call threshold; ignored calls are never slow.
    public mutating func record(
        _ outcome: CircuitBreakerOutcome,
        duration: Duration,
        for tag: CircuitBreakerPermitTag,
        at now: Duration
    ) -> RecordAction {
        guard tag.generation == self.generation else { return self.drop() }
        let slow = outcome != .ignored && duration >= self.configuration.slowCallDurationThreshold
        switch self.state {
        case .closed:
            self.count(outcome, slow: slow)
            guard outcome != .ignored else { return RecordAction(decision: .recorded(outcome, slow: false)) }
            self.window.record(failure: outcome == .failure, slow: slow, elapsed: now)
            return RecordAction(decision: .recorded(outcome, slow: slow), transition: self.tripIfNeeded(at: now))
        case .disabled:
            self.count(outcome, slow: slow)
            return RecordAction(decision: .recorded(outcome, slow: slow))
        case .halfOpen:
            guard self.trials.complete(sequence: tag.sequence) else { return self.drop() }
            self.count(outcome, slow: slow)
            switch outcome {
            case .ignored: return RecordAction(decision: .recorded(outcome, slow: false))
            case .failure: self.trials.countFailure()
            case .success: slow ? self.trials.countFailure() : self.trials.countSuccess()
            }
            return RecordAction(decision: .recorded(outcome, slow: slow), transition: self.judgeTrials(at: now))
        case .open, .forcedOpen:
            // No permit is ever granted in these states, so only a forged tag gets here.
            return self.drop()
        }
    }

    /// The open-duration timer fired; moves an open breaker of the same generation to half-open.
    public mutating func openDurationElapsed(generation: UInt64, at now: Duration) -> CircuitBreakerTransition? {
        guard generation == self.generation, self.state == .open, let openUntil = self.openUntil, now >= openUntil
        else { return nil }
        return self.transition(to: .halfOpen, reason: .openDurationElapsed, at: now)
    }

    /// The totals of the closed-state window at `now`.
    public mutating func windowSnapshot(at now: Duration) -> SlidingWindowSnapshot {
        self.window.snapshot(elapsed: now)
    }

    // MARK: - Operator control

    /// Refuses every call until ``reset(at:)`` or ``disable(at:)``.
    public mutating func forceOpen(at now: Duration) -> CircuitBreakerTransition? {
        guard self.state != .forcedOpen else { return nil }
        return self.transition(to: .forcedOpen, reason: .forcedOpen, at: now)
    }

    /// Permits every call and never trips, until ``reset(at:)`` or ``forceOpen(at:)``.
    public mutating func disable(at now: Duration) -> CircuitBreakerTransition? {
        guard self.state != .disabled else { return nil }
        return self.transition(to: .disabled, reason: .disabled, at: now)
    }

    /// Closes the breaker with an empty window and forgets earlier openings.
    public mutating func reset(at now: Duration) -> CircuitBreakerTransition? {
        guard self.state != .closed else {
            self.window.reset()
            self.consecutiveOpenings = 0
            return nil
        }
        return self.transition(to: .closed, reason: .reset, at: now)
    }

    // MARK: - Internals

    private mutating func makeTag() -> CircuitBreakerPermitTag {
        defer { self.nextSequence += 1 }
        return CircuitBreakerPermitTag(generation: self.generation, sequence: self.nextSequence, state: self.state)
    }

    private mutating func refuse(retryAfter: Duration?) -> AcquireDecision {
        self.counters.notPermitted += 1
        return .notPermitted(CallNotPermittedError(state: self.state, retryAfter: retryAfter))
    }

    private mutating func drop() -> RecordAction {
        self.counters.droppedLateResults += 1
        return RecordAction(decision: .dropped)
    }

    private mutating func count(_ outcome: CircuitBreakerOutcome, slow: Bool) {
        switch outcome {
        case .success: self.counters.successful += 1
        case .failure: self.counters.failed += 1
        case .ignored: self.counters.ignored += 1
        }
        if slow { self.counters.slow += 1 }
    }

    private mutating func acquireTrialPermit(at now: Duration) -> AcquireAction {
        let reclaimed = self.trials.reclaimExpired(at: now)
        self.counters.reclaimedPermits += reclaimed
        guard self.trials.used < self.configuration.halfOpen.permittedCalls else {
            let retryAfter = self.trials.earliestDeadline.map { $0 - now }
            return AcquireAction(decision: self.refuse(retryAfter: retryAfter), reclaimedPermits: reclaimed)
        }
        let tag = self.makeTag()
        self.trials.grant(sequence: tag.sequence, deadline: now + self.configuration.halfOpen.permitTimeout)
        return AcquireAction(decision: .permitted(tag), reclaimedPermits: reclaimed)
    }

    private mutating func tripIfNeeded(at now: Duration) -> CircuitBreakerTransition? {
        let snapshot = self.windowSnapshot(at: now)
        guard snapshot.calls >= self.configuration.effectiveMinimumNumberOfCalls else { return nil }
        if snapshot.failures > 0 && snapshot.failureRate >= self.configuration.failureRateThreshold {
            return self.transition(to: .open, reason: .failureRateExceeded(snapshot.failureRate), at: now)
        }
        if snapshot.slowCalls > 0 && snapshot.slowCallRate >= self.configuration.slowCallRateThreshold {
            return self.transition(to: .open, reason: .slowCallRateExceeded(snapshot.slowCallRate), at: now)
        }
        return nil
    }

    private mutating func judgeTrials(at now: Duration) -> CircuitBreakerTransition? {
        let policy = self.configuration.halfOpen
        if self.trials.successes >= policy.successesToClose {
            return self.transition(to: .closed, reason: .trialCallsSucceeded, at: now)
        }
        let failureRatio = Double(self.trials.failures) / Double(policy.permittedCalls)
        let closingStillPossible = policy.permittedCalls - self.trials.failures >= policy.successesToClose
        if failureRatio >= policy.failureRateThreshold || !closingStillPossible {
            return self.transition(to: .open, reason: .trialCallsFailed, at: now)
        }
        return nil
    }

    private mutating func transition(
        to newState: CircuitBreakerState,
        reason: CircuitBreakerTransition.Reason,
        at now: Duration
    ) -> CircuitBreakerTransition {
        let oldState = self.state
        self.state = newState
        self.generation += 1
        self.trials.reset()
        self.openUntil = nil
        var openDuration: Duration?
        switch newState {
        case .open:
            self.consecutiveOpenings += 1
            let fraction = Double.random(in: 0..<1, using: &self.randomSource)
            let duration = self.configuration.openDuration.duration(
                forOpening: self.consecutiveOpenings,
                randomFraction: fraction
            )
            self.openUntil = now + duration
            openDuration = duration
        case .closed:
            self.consecutiveOpenings = 0
            self.window.reset()
        case .halfOpen, .forcedOpen, .disabled:
            break
        }
        return CircuitBreakerTransition(
            from: oldState,
            to: newState,
            generation: self.generation,
            reason: reason,
            openDuration: openDuration
        )
    }
}
