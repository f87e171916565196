import Testing

@testable import CircuitBreaker

@Suite(.timeLimit(.minutes(1))) struct CircuitBreakerTests {
    struct BackendDown: Error {}

    let clock = ManualClock()

    func makeBreaker(_ configuration: CircuitBreakerConfiguration = .testing()) -> CircuitBreaker<ManualClock> {
        CircuitBreaker(
            configuration: configuration,
            clock: self.clock,
            randomSource: ScriptedRandomNumberGenerator.middle
        )
    }

    // MARK: - run

    @Test func runReturnsTheBodysValueAndTimesItWithTheClock() async throws {
        var configuration = CircuitBreakerConfiguration.testing(minimumNumberOfCalls: 1)
        configuration.slowCallRateThreshold = 1
        let breaker = self.makeBreaker(configuration)
        let value = try await breaker.run {
            self.clock.advance(by: .seconds(2))
            return 42
        }
        #expect(value == 42)
        #expect(breaker.counters.successful == 1)
        #expect(breaker.counters.slow == 1)
        #expect(breaker.state == .open)
    }

    @Test func runClassifiesAndRethrowsErrors() async {
        var configuration = CircuitBreakerConfiguration.testing()
        configuration.errorClassifier = CircuitBreakerErrorClassifier(isFailure: { $0 is BackendDown })
        let breaker = self.makeBreaker(configuration)
        await #expect(throws: BackendDown.self) { try await breaker.run { throw BackendDown() } }
        await #expect(throws: CancellationError.self) { try await breaker.run { throw CancellationError() } }
        struct NotFound: Error {}
        await #expect(throws: NotFound.self) { try await breaker.run { throw NotFound() } }
        let counters = breaker.counters
        #expect(counters.failed == 1)
        #expect(counters.ignored == 1)
        #expect(counters.successful == 1)
        #expect(breaker.windowSnapshot == SlidingWindowSnapshot(calls: 2, failures: 1, slowCalls: 0))
    }

    @Test func runCanJudgeReturnedValues() async throws {
        let breaker = self.makeBreaker(.testing(minimumNumberOfCalls: 2))
        let isErrorReply: (String) -> CircuitBreakerOutcome = { $0.hasPrefix("-") ? .failure : .success }
        let first = try await breaker.run(classifyingResult: isErrorReply) { "-ERR max clients reached" }
        let second = try await breaker.run(classifyingResult: isErrorReply) { "+OK" }
        #expect(first == "-ERR max clients reached")
        #expect(second == "+OK")
        #expect(breaker.counters.failed == 1)
        #expect(breaker.counters.successful == 1)
        #expect(breaker.state == .open)
    }

    @Test func runDoesNotRunTheBodyWhenRefused() async {
        let breaker = self.makeBreaker()
        breaker.forceOpen()
        var ran = false
        await #expect(throws: CallNotPermittedError(state: .forcedOpen)) {
            try await breaker.run { ran = true }
        }
        #expect(!ran)
        #expect(breaker.counters.notPermitted == 1)
    }

    // MARK: - Two-step API

    @Test func aPermitTimesItsCallFromTheAcquire() throws {
        let breaker = self.makeBreaker()
        let permit = try breaker.acquirePermit()
        self.clock.advance(by: .milliseconds(1_500))
        #expect(permit.record(.failure) == .recorded(.failure, slow: true))
        #expect(breaker.counters.slow == 1)
        #expect(breaker.counters.failed == 1)
    }

    @Test func aNotPermittedErrorSaysWhenToRetry() throws {
        let breaker = self.makeBreaker()
        for _ in 0..<5 { try breaker.acquirePermit().record(.failure, duration: .zero) }
        self.clock.advance(by: .seconds(3))
        #expect(throws: CallNotPermittedError(state: .open, retryAfter: .seconds(7))) {
            try breaker.acquirePermit()
        }
    }

    // MARK: - Events

    @Test func eventsReportTransitionsRefusalsAndDroppedResultsInOrder() async throws {
        let breaker = self.makeBreaker()
        let straggler = try breaker.acquirePermit()
        for _ in 0..<5 { try breaker.acquirePermit().record(.failure, duration: .zero) }
        _ = try? breaker.acquirePermit()
        straggler.record(.failure, duration: .zero)
        self.clock.advance(by: .seconds(10))
        for _ in 0..<3 { try breaker.acquirePermit().record(.success, duration: .zero) }
        breaker.forceOpen()
        breaker.disable()
        breaker.reset()

        var iterator = breaker.events.makeAsyncIterator()
        var events: [CircuitBreakerEvent] = []
        for _ in 0..<8 {
            events.append(try #require(await iterator.next()))
        }
        #expect(
            events == [
                .stateTransition(
                    .init(
                        from: .closed,
                        to: .open,
                        generation: 1,
                        reason: .failureRateExceeded(1),
                        openDuration: .seconds(10)
                    )
                ),
                .callNotPermitted(CallNotPermittedError(state: .open, retryAfter: .seconds(10))),
                .lateResultDropped(straggler.tag),
                .stateTransition(.init(from: .open, to: .halfOpen, generation: 2, reason: .openDurationElapsed)),
                .stateTransition(.init(from: .halfOpen, to: .closed, generation: 3, reason: .trialCallsSucceeded)),
                .stateTransition(.init(from: .closed, to: .forcedOpen, generation: 4, reason: .forcedOpen)),
                .stateTransition(.init(from: .forcedOpen, to: .disabled, generation: 5, reason: .disabled)),
                .stateTransition(.init(from: .disabled, to: .closed, generation: 6, reason: .reset)),
            ]
        )
    }

    @Test func reclaimedPermitsAreAnnounced() async throws {
        let breaker = self.makeBreaker()
        for _ in 0..<5 { try breaker.acquirePermit().record(.failure, duration: .zero) }
        self.clock.advance(by: .seconds(10))
        for _ in 0..<3 { _ = try breaker.acquirePermit() }
        self.clock.advance(by: .seconds(5))
        _ = try breaker.acquirePermit()

        var reclaimed: Int?
        for await event in breaker.events {
            if case .permitsReclaimed(let count) = event {
                reclaimed = count
                break
            }
        }
        #expect(reclaimed == 3)
        #expect(breaker.counters.reclaimedPermits == 3)
    }

    // MARK: - Automatic half-open

    @Test func aTimerMovesTheOpenBreakerToHalfOpenWithoutACall() async throws {
        var configuration = CircuitBreakerConfiguration.testing()
        configuration.automaticTransitionFromOpenToHalfOpen = true
        let breaker = self.makeBreaker(configuration)
        for _ in 0..<5 { try breaker.acquirePermit().record(.failure, duration: .zero) }
        #expect(breaker.state == .open)

        var iterator = breaker.events.makeAsyncIterator()
        let opened = await iterator.next()
        #expect(
            opened
                == .stateTransition(
                    .init(
                        from: .closed,
                        to: .open,
                        generation: 1,
                        reason: .failureRateExceeded(1),
                        openDuration: .seconds(10)
                    )
                )
        )
        self.clock.advance(by: .seconds(10))
        let halfOpened = await iterator.next()
        #expect(
            halfOpened
                == .stateTransition(.init(from: .open, to: .halfOpen, generation: 2, reason: .openDurationElapsed))
        )
        #expect(breaker.state == .halfOpen)
        #expect(breaker.counters.notPermitted == 0)
    }

    @Test func aStaleTimerDoesNotMoveALaterState() async throws {
        var configuration = CircuitBreakerConfiguration.testing()
        configuration.automaticTransitionFromOpenToHalfOpen = true
        let breaker = self.makeBreaker(configuration)
        for _ in 0..<5 { try breaker.acquirePermit().record(.failure, duration: .zero) }
        breaker.forceOpen()
        breaker.disable()
        breaker.forceOpen()
        self.clock.advance(by: .seconds(60))
        // The timer of the first opening was cancelled and its generation is stale either way; the reset is
        // the next event after the forced opening.
        breaker.reset()
        var iterator = breaker.events.makeAsyncIterator()
        var targets: [CircuitBreakerState] = []
        while let event = await iterator.next() {
            guard case .stateTransition(let transition) = event else { continue }
            targets.append(transition.to)
            if transition.reason == .reset { break }
        }
        #expect(targets == [.open, .forcedOpen, .disabled, .forcedOpen, .closed])
        #expect(self.clock.sleeperCount == 0)
    }
}
