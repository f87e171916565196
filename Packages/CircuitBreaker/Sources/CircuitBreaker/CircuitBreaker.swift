import Synchronization

/// A thread-safe circuit breaker: a ``CircuitBreakerStateMachine`` behind a mutex, a clock, and an event stream.
///
/// Use the two-step API when the call's result is known somewhere else (a pipelined reply, a callback), or
/// ``run(isolation:_:)`` to time and classify an async body in one go. Report each permit once; a permit
/// from an earlier state is dropped when it comes back late.
///
/// While the breaker is closed (or disabled) a permit takes no lock: it is granted from an atomic copy of the
/// state that every transition republishes, so a call costs one lock, to record its result. Callers that read
/// the clock anyway pass their instants to ``acquirePermit(at:)`` and ``record(_:_:at:)``, and the breaker reads
/// no clock at all.
///
/// ```swift
/// let breaker = CircuitBreaker(configuration: configuration, clock: ContinuousClock())
///
/// let value = try await breaker.run { try await redis.get("key") }
///
/// let permit = try breaker.acquirePermit()
/// connection.send(command) { reply in
///     permit.record(reply.isError ? .failure : .success)
/// }
///
/// let start = ContinuousClock.now
/// let timed = try breaker.acquirePermit(at: start)
/// let reply = try await connection.send(command)
/// timed.record(.success, at: .now)
/// ```
public final class CircuitBreaker<ClockType: Clock<Duration>>: Sendable {
    @usableFromInline
    struct Shell: Sendable {
        @usableFromInline var machine: CircuitBreakerStateMachine
        @usableFromInline var openTimer: Task<Void, Never>?
    }

    /// The clock that times calls and the open duration.
    public let clock: ClockType
    /// The rules the breaker follows.
    public let configuration: CircuitBreakerConfiguration
    /// State transitions, refused calls, reclaimed permits and dropped late results, in order. Single consumer;
    /// when nobody reads, the oldest unread events are dropped beyond ``CircuitBreakerConfiguration/eventBufferSize``.
    public let events: AsyncStream<CircuitBreakerEvent>

    /// The machine measures time from here.
    @usableFromInline let origin: ClockType.Instant
    @usableFromInline let shell: LockedValue<Shell>
    @usableFromInline let eventContinuation: AsyncStream<CircuitBreakerEvent>.Continuation
    /// The lock-free permit path: ``fastPathWord(for:)`` of the machine, republished under the lock on every
    /// transition.
    @usableFromInline let fastPath: Atomic<UInt64>
    /// Counts lock-free permits, whose sequences are numbered from ``fastSequenceBase`` up.
    @usableFromInline let fastSequence = Atomic<UInt64>(0)

    /// Creates a closed breaker. `randomSource` draws the open-duration jitter (tests pass a seeded one).
    public init(
        configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        clock: ClockType,
        randomSource: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.clock = clock
        self.configuration = configuration
        self.origin = clock.now
        let machine = CircuitBreakerStateMachine(configuration: configuration, randomSource: randomSource)
        self.fastPath = Atomic(Self.fastPathWord(for: machine))
        self.shell = LockedValue(Shell(machine: machine, openTimer: nil))
        (self.events, self.eventContinuation) = AsyncStream.makeStream(
            bufferingPolicy: .bufferingNewest(max(1, configuration.eventBufferSize))
        )
    }

    deinit {
        self.shell.withLock { $0.openTimer?.cancel() }
        self.eventContinuation.finish()
    }

    // MARK: - Observation

    /// The current state.
    public var state: CircuitBreakerState { self.shell.withLock { $0.machine.state } }

    /// The current generation; it grows by one on every state change.
    public var generation: UInt64 { self.shell.withLock { $0.machine.generation } }

    /// Running totals since creation.
    public var counters: CircuitBreakerCounters { self.shell.withLock { $0.machine.counters } }

    /// The closed-state window's totals now.
    public var windowSnapshot: SlidingWindowSnapshot {
        let now = self.elapsed()
        return self.shell.withLock { $0.machine.windowSnapshot(at: now) }
    }

    // MARK: - Calls

    // The hot path is inlinable so that callers get it specialised for their clock; unspecialised generic code
    // spends most of its time looking up generic metadata.

    /// Asks to let one call through; report the result through the returned permit.
    @inlinable
    public func acquirePermit() throws(CallNotPermittedError) -> Permit {
        try self.acquirePermit(at: self.clock.now)
    }

    /// Asks to let one call through at `instant`, a reading of ``clock`` the caller has just taken: the breaker
    /// reads no clock itself, and while closed or disabled it takes no lock either.
    ///
    /// ```swift
    /// let start = clock.now
    /// let permit = try breaker.acquirePermit(at: start)
    /// ```
    @inlinable
    public func acquirePermit(at instant: ClockType.Instant) throws(CallNotPermittedError) -> Permit {
        let word = self.fastPath.load(ordering: .acquiring)
        if word & Self.fastPathStateMask != 0 {
            let count = self.fastSequence.wrappingAdd(1, ordering: .relaxed).oldValue
            let tag = CircuitBreakerPermitTag(
                generation: word >> Self.fastPathStateBits,
                sequence: Self.fastSequenceBase | count,
                state: word & Self.fastPathStateMask == Self.fastPathClosed ? .closed : .disabled
            )
            return Permit(breaker: self, tag: tag, acquiredAt: instant)
        }
        return try self.acquirePermitLocked(at: instant)
    }

    /// The open, half-open and forced-open path: the machine decides, under the lock.
    @usableFromInline
    func acquirePermitLocked(at acquiredAt: ClockType.Instant) throws(CallNotPermittedError) -> Permit {
        let now = self.origin.duration(to: acquiredAt)
        let action = self.shell.withLock { shell in
            let action = shell.machine.acquirePermit(at: now)
            if action.reclaimedPermits > 0 {
                self.eventContinuation.yield(.permitsReclaimed(count: action.reclaimedPermits))
            }
            if let transition = action.transition {
                self.publish(transition, in: &shell)
            }
            if case .notPermitted(let error) = action.decision {
                self.eventContinuation.yield(.callNotPermitted(error))
            }
            return action
        }
        switch action.decision {
        case .permitted(let tag): return Permit(breaker: self, tag: tag, acquiredAt: acquiredAt)
        case .notPermitted(let error): throw error
        }
    }

    /// Reports how the call behind `permit` ended. Returns what the breaker did with the result.
    @inlinable
    @discardableResult
    public func record(
        _ permit: Permit,
        _ outcome: CircuitBreakerOutcome,
        duration: Duration
    ) -> CircuitBreakerStateMachine.RecordDecision {
        self.record(permit, outcome, duration: duration, now: self.elapsed())
    }

    /// Reports how the call behind `permit` ended at `instant`, a reading of ``clock`` the caller has just taken;
    /// the call is timed from the permit's ``Permit/acquiredAt``. Takes one lock and reads no clock.
    ///
    /// ```swift
    /// let permit = try breaker.acquirePermit(at: start)
    /// let reply = try await send()
    /// breaker.record(permit, .success, at: clock.now)
    /// ```
    @inlinable
    @discardableResult
    public func record(
        _ permit: Permit,
        _ outcome: CircuitBreakerOutcome,
        at instant: ClockType.Instant
    ) -> CircuitBreakerStateMachine.RecordDecision {
        self.record(
            permit,
            outcome,
            duration: permit.acquiredAt.duration(to: instant),
            now: self.origin.duration(to: instant)
        )
    }

    @inlinable
    func record(
        _ permit: Permit,
        _ outcome: CircuitBreakerOutcome,
        duration: Duration,
        now: Duration
    ) -> CircuitBreakerStateMachine.RecordDecision {
        self.shell.withLock { shell in
            let action = shell.machine.record(outcome, duration: duration, for: permit.tag, at: now)
            if action.decision == .dropped {
                self.eventContinuation.yield(.lateResultDropped(permit.tag))
            }
            if let transition = action.transition {
                self.publish(transition, in: &shell)
            }
            return action.decision
        }
    }

    /// Runs `body` if the breaker permits it, timing it with the clock and classifying a thrown error with
    /// the configuration's ``CircuitBreakerErrorClassifier``.
    ///
    /// Throws ``CallNotPermittedError`` without running `body` when the breaker refuses, and rethrows what
    /// `body` throws.
    ///
    /// ```swift
    /// let value = try await breaker.run { try await connection.get("key") }
    /// ```
    @inlinable
    public func run<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await self.run(classifyingResult: { _ in .success }, body)
    }

    /// Runs `body` like ``run(isolation:_:)``, and lets `classifyResult` judge a value it returns, for backends
    /// that report errors as values (such as a Redis error reply).
    ///
    /// ```swift
    /// let reply = try await breaker.run(classifyingResult: { $0.isServerError ? .failure : .success }) {
    ///     try await connection.send(command)
    /// }
    /// ```
    @inlinable
    public func run<Result>(
        isolation: isolated (any Actor)? = #isolation,
        classifyingResult classifyResult: (Result) -> CircuitBreakerOutcome,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let permit = try self.acquirePermit()
        let result: Result
        do {
            result = try await body()
        } catch {
            permit.record(self.configuration.errorClassifier.classify(error))
            throw error
        }
        permit.record(classifyResult(result))
        return result
    }

    // MARK: - Operator control

    /// Refuses every call until ``reset()`` or ``disable()``.
    public func forceOpen() {
        self.control { $0.forceOpen(at: $1) }
    }

    /// Permits every call and never trips, until ``reset()`` or ``forceOpen()``.
    public func disable() {
        self.control { $0.disable(at: $1) }
    }

    /// Closes the breaker with an empty window.
    public func reset() {
        self.control { $0.reset(at: $1) }
    }

    // MARK: - Internals

    @inlinable
    func elapsed() -> Duration {
        self.origin.duration(to: self.clock.now)
    }

    private func control(_ event: (inout CircuitBreakerStateMachine, Duration) -> CircuitBreakerTransition?) {
        let now = self.elapsed()
        self.shell.withLock { shell in
            if let transition = event(&shell.machine, now) {
                self.publish(transition, in: &shell)
            }
        }
    }

    func openDurationElapsed(generation: UInt64) {
        let now = self.elapsed()
        self.shell.withLock { shell in
            if let transition = shell.machine.openDurationElapsed(generation: generation, at: now) {
                self.publish(transition, in: &shell)
            }
        }
    }

    // Runs under the lock so that observers see transitions in the order they happened; neither yielding nor
    // creating a task calls back into the breaker synchronously.
    @usableFromInline
    func publish(_ transition: CircuitBreakerTransition, in shell: inout Shell) {
        self.fastPath.store(Self.fastPathWord(for: shell.machine), ordering: .releasing)
        self.eventContinuation.yield(.stateTransition(transition))
        shell.openTimer?.cancel()
        shell.openTimer = nil
        guard transition.to == .open, self.configuration.automaticTransitionFromOpenToHalfOpen,
            let openUntil = shell.machine.openUntil
        else { return }
        let deadline = self.origin.advanced(by: openUntil)
        let generation = transition.generation
        shell.openTimer = Task { [weak self, clock] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return
            }
            self?.openDurationElapsed(generation: generation)
        }
    }
}

extension CircuitBreaker where ClockType == ContinuousClock {
    /// Creates a closed breaker on the continuous clock.
    ///
    /// ```swift
    /// let breaker = CircuitBreaker(configuration: CircuitBreakerConfiguration())
    /// ```
    public convenience init(configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration()) {
        self.init(configuration: configuration, clock: ContinuousClock())
    }
}
