import Testing

@testable import CircuitBreaker

@Suite struct CircuitBreakerStateMachineTests {
    let t0 = Duration.zero

    func trippedMachine(_ configuration: CircuitBreakerConfiguration = .testing()) -> CircuitBreakerStateMachine {
        var machine = CircuitBreakerStateMachine(configuration: configuration)
        machine.calls(failures: 5, successes: 0, at: self.t0)
        return machine
    }

    // MARK: - Closed

    @Test func aNewMachineIsClosedAndPermitsCalls() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        #expect(machine.state == .closed)
        let first = machine.acquirePermit(at: self.t0)
        let second = machine.acquirePermit(at: self.t0)
        #expect(first.decision.tag?.state == .closed)
        #expect(first.decision.tag?.sequence != second.decision.tag?.sequence)
        #expect(first.transition == nil)
    }

    @Test func doesNotJudgeBeforeTheMinimumNumberOfCalls() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing(minimumNumberOfCalls: 5))
        for _ in 0..<4 {
            #expect(machine.call(.failure, at: self.t0)?.transition == nil)
        }
        #expect(machine.state == .closed)
        let transitionCandidate = machine.call(.failure, at: self.t0)?.transition
        let transition = try #require(transitionCandidate)
        #expect(transition.from == .closed)
        #expect(transition.to == .open)
        #expect(transition.reason == .failureRateExceeded(1))
        #expect(transition.openDuration == .seconds(10))
        #expect(machine.state == .open)
    }

    @Test func tripsExactlyWhenTheFailureRateReachesTheThreshold() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        machine.calls(failures: 0, successes: 5, at: self.t0)
        machine.calls(failures: 4, successes: 0, at: self.t0)
        #expect(machine.state == .closed)
        #expect(machine.windowSnapshot(at: self.t0).failureRate == 4.0 / 9.0)
        let transitionCandidate = machine.call(.failure, at: self.t0)?.transition
        let transition = try #require(transitionCandidate)
        #expect(transition.reason == .failureRateExceeded(0.5))
    }

    @Test func aHealthyWindowBelowTheThresholdStaysClosed() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        for step in 0..<100 {
            machine.call(step % 3 == 0 ? .failure : .success, at: self.t0)
        }
        #expect(machine.state == .closed)
        #expect(machine.counters.failed == 34)
        #expect(machine.counters.successful == 66)
    }

    @Test func tripsOnTheSlowCallRate() throws {
        var configuration = CircuitBreakerConfiguration.testing()
        configuration.slowCallRateThreshold = 0.6
        var machine = CircuitBreakerStateMachine(configuration: configuration)
        machine.call(.success, duration: .milliseconds(999), at: self.t0)
        machine.call(.success, duration: .milliseconds(10), at: self.t0)
        machine.call(.success, duration: .seconds(1), at: self.t0)
        machine.call(.success, duration: .seconds(3), at: self.t0)
        #expect(machine.state == .closed)
        let transitionCandidate = machine.call(.success, duration: .seconds(2), at: self.t0)?.transition
        let transition = try #require(transitionCandidate)
        #expect(transition.reason == .slowCallRateExceeded(0.6))
        #expect(machine.counters.slow == 3)
        #expect(machine.counters.successful == 5)
        #expect(machine.counters.failed == 0)
    }

    @Test func ignoredCallsAreCountedButNeverJudged() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        for _ in 0..<20 {
            #expect(
                machine.call(.ignored, duration: .seconds(5), at: self.t0)?.decision == .recorded(.ignored, slow: false)
            )
        }
        #expect(machine.state == .closed)
        #expect(machine.windowSnapshot(at: self.t0).calls == 0)
        #expect(machine.counters.ignored == 20)
        #expect(machine.counters.slow == 0)
    }

    @Test func aTimeBasedWindowForgetsOldFailures() {
        let configuration = CircuitBreakerConfiguration.testing(
            window: .timeBased(buckets: 5, bucketWidth: .seconds(1)),
            minimumNumberOfCalls: 5
        )
        var machine = CircuitBreakerStateMachine(configuration: configuration)
        machine.calls(failures: 4, successes: 0, at: self.t0)
        let later = self.t0 + .seconds(6)
        machine.call(.failure, at: later)
        #expect(machine.state == .closed)
        #expect(machine.windowSnapshot(at: later).calls == 1)
        machine.calls(failures: 3, successes: 0, at: later + .milliseconds(500))
        #expect(machine.state == .closed)
        machine.call(.failure, at: later + .seconds(4))
        #expect(machine.state == .open)
    }

    // MARK: - Open

    @Test func openRefusesAndSaysWhenToRetry() {
        var machine = self.trippedMachine()
        let action = machine.acquirePermit(at: self.t0 + .seconds(4))
        #expect(action.decision == .notPermitted(CallNotPermittedError(state: .open, retryAfter: .seconds(6))))
        #expect(action.transition == nil)
        #expect(machine.counters.notPermitted == 1)
        #expect(machine.state == .open)
    }

    @Test func openMovesToHalfOpenLazilyOnTheNextAcquire() throws {
        var machine = self.trippedMachine()
        let generation = machine.generation
        let action = machine.acquirePermit(at: self.t0 + .seconds(10))
        let transition = try #require(action.transition)
        #expect(
            transition
                == CircuitBreakerTransition(
                    from: .open,
                    to: .halfOpen,
                    generation: generation + 1,
                    reason: .openDurationElapsed
                )
        )
        #expect(action.decision.tag?.state == .halfOpen)
        #expect(action.decision.tag?.generation == generation + 1)
        #expect(machine.state == .halfOpen)
    }

    @Test func theOpenTimerMovesToHalfOpenOnlyForItsGeneration() throws {
        var machine = self.trippedMachine()
        let generation = machine.generation
        let openUntil = try #require(machine.openUntil)
        #expect(machine.openDurationElapsed(generation: generation, at: openUntil + .seconds(-1)) == nil)
        #expect(machine.openDurationElapsed(generation: generation - 1, at: openUntil) == nil)
        #expect(machine.state == .open)
        let fired = machine.openDurationElapsed(generation: generation, at: openUntil)
        let transition = try #require(fired)
        #expect(transition.to == .halfOpen)
        #expect(machine.openDurationElapsed(generation: generation, at: openUntil) == nil)
    }

    // MARK: - Half-open

    @Test func halfOpenClosesAfterEnoughSuccesses() throws {
        var machine = self.trippedMachine()
        let now = self.t0 + .seconds(10)
        let tags = (0..<3).compactMap { _ in machine.acquirePermit(at: now).decision.tag }
        #expect(tags.count == 3)
        #expect(machine.record(.success, duration: .zero, for: tags[0], at: now).transition == nil)
        #expect(machine.record(.success, duration: .zero, for: tags[1], at: now).transition == nil)
        let transitionCandidate = machine.record(.success, duration: .zero, for: tags[2], at: now).transition
        let transition = try #require(transitionCandidate)
        #expect(transition.from == .halfOpen)
        #expect(transition.to == .closed)
        #expect(transition.reason == .trialCallsSucceeded)
        #expect(machine.consecutiveOpenings == 0)
        #expect(machine.windowSnapshot(at: now).calls == 0)
        #expect(machine.openUntil == nil)
    }

    @Test func halfOpenReopensOnTheFailureRatioWithALongerWait() throws {
        let configuration = CircuitBreakerConfiguration.testing(
            openDuration: OpenDurationPolicy(initial: .seconds(10), multiplier: 3, maximum: .seconds(60), jitter: 0),
            halfOpen: HalfOpenPolicy(permittedCalls: 4, successesToClose: 2, failureRateThreshold: 0.5)
        )
        var machine = self.trippedMachine(configuration)
        let now = self.t0 + .seconds(10)
        let tags = (0..<4).compactMap { _ in machine.acquirePermit(at: now).decision.tag }
        #expect(machine.record(.failure, duration: .zero, for: tags[0], at: now).transition == nil)
        let transitionCandidate = machine.record(.failure, duration: .zero, for: tags[1], at: now).transition
        let transition = try #require(transitionCandidate)
        #expect(transition.to == .open)
        #expect(transition.reason == .trialCallsFailed)
        #expect(transition.openDuration == .seconds(30))
        #expect(machine.consecutiveOpenings == 2)
        #expect(machine.openUntil == now + .seconds(30))
    }

    @Test func halfOpenReopensAsSoonAsClosingIsImpossible() throws {
        let configuration = CircuitBreakerConfiguration.testing(
            halfOpen: HalfOpenPolicy(permittedCalls: 3, successesToClose: 3, failureRateThreshold: 1)
        )
        var machine = self.trippedMachine(configuration)
        let now = self.t0 + .seconds(10)
        let tagCandidate = machine.acquirePermit(at: now).decision.tag
        let tag = try #require(tagCandidate)
        let transitionCandidate = machine.record(.failure, duration: .zero, for: tag, at: now).transition
        let transition = try #require(transitionCandidate)
        #expect(transition.to == .open)
    }

    @Test func aSlowTrialCountsAgainstClosing() throws {
        let configuration = CircuitBreakerConfiguration.testing(
            halfOpen: HalfOpenPolicy(permittedCalls: 2, successesToClose: 2, failureRateThreshold: 1)
        )
        var machine = self.trippedMachine(configuration)
        let now = self.t0 + .seconds(10)
        let tagCandidate = machine.acquirePermit(at: now).decision.tag
        let tag = try #require(tagCandidate)
        let action = machine.record(.success, duration: .seconds(2), for: tag, at: now)
        #expect(action.decision == .recorded(.success, slow: true))
        #expect(action.transition?.to == .open)
    }

    @Test func anIgnoredTrialFreesItsSlot() throws {
        var machine = self.trippedMachine()
        let now = self.t0 + .seconds(10)
        let tags = (0..<3).compactMap { _ in machine.acquirePermit(at: now).decision.tag }
        #expect(machine.acquirePermit(at: now).decision.error?.state == .halfOpen)
        #expect(machine.record(.ignored, duration: .zero, for: tags[0], at: now).transition == nil)
        #expect(machine.acquirePermit(at: now).decision.tag != nil)
        #expect(machine.acquirePermit(at: now).decision.tag == nil)
    }

    @Test func aFullHalfOpenSaysWhenThePermitsTimeOut() {
        var machine = self.trippedMachine()
        let now = self.t0 + .seconds(10)
        for _ in 0..<3 { _ = machine.acquirePermit(at: now) }
        let refused = machine.acquirePermit(at: now + .seconds(1))
        #expect(refused.decision == .notPermitted(CallNotPermittedError(state: .halfOpen, retryAfter: .seconds(4))))
    }

    @Test func theOpenDurationResetsAfterTheBreakerCloses() throws {
        let configuration = CircuitBreakerConfiguration.testing(
            openDuration: OpenDurationPolicy(initial: .seconds(10), multiplier: 2, maximum: .seconds(60), jitter: 0),
            halfOpen: HalfOpenPolicy(permittedCalls: 1)
        )
        var machine = self.trippedMachine(configuration)
        var now = self.t0 + .seconds(10)
        #expect(machine.call(.failure, at: now)?.transition?.openDuration == .seconds(20))
        now = now + .seconds(20)
        #expect(machine.call(.success, at: now)?.transition?.to == .closed)
        machine.calls(failures: 5, successes: 0, at: now)
        #expect(machine.state == .open)
        #expect(machine.openUntil == now + .seconds(10))
    }

    // MARK: - Operator control

    @Test func forcedOpenRefusesEverythingUntilReset() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        let transitionCandidate = machine.forceOpen(at: self.t0)
        let transition = try #require(transitionCandidate)
        #expect(transition.reason == .forcedOpen)
        #expect(machine.forceOpen(at: self.t0) == nil)
        let later = self.t0 + .seconds(3_600)
        #expect(machine.acquirePermit(at: later).decision == .notPermitted(CallNotPermittedError(state: .forcedOpen)))
        #expect(machine.state == .forcedOpen)
        let resetCandidate = machine.reset(at: later)
        let reset = try #require(resetCandidate)
        #expect(reset.from == .forcedOpen)
        #expect(reset.to == .closed)
        #expect(machine.acquirePermit(at: later).decision.tag != nil)
    }

    @Test func disabledPermitsEverythingAndNeverTrips() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        let resultCandidate = machine.disable(at: self.t0)
        _ = try #require(resultCandidate)
        machine.calls(failures: 50, successes: 1, at: self.t0)
        #expect(machine.state == .disabled)
        #expect(machine.counters.failed == 50)
        #expect(machine.counters.successful == 1)
        #expect(machine.windowSnapshot(at: self.t0).calls == 0)
        #expect(machine.forceOpen(at: self.t0)?.from == .disabled)
        #expect(machine.disable(at: self.t0)?.from == .forcedOpen)
    }

    @Test func resettingAClosedMachineClearsTheWindowWithoutATransition() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        machine.calls(failures: 4, successes: 0, at: self.t0)
        let generation = machine.generation
        #expect(machine.reset(at: self.t0) == nil)
        #expect(machine.generation == generation)
        machine.call(.failure, at: self.t0)
        #expect(machine.state == .closed)
    }

    @Test func everyTransitionStartsANewGeneration() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        var generations: [UInt64] = [machine.generation]
        machine.calls(failures: 5, successes: 0, at: self.t0)
        generations.append(machine.generation)
        _ = machine.acquirePermit(at: self.t0 + .seconds(10))
        generations.append(machine.generation)
        _ = machine.forceOpen(at: self.t0)
        generations.append(machine.generation)
        _ = machine.disable(at: self.t0)
        generations.append(machine.generation)
        _ = machine.reset(at: self.t0)
        generations.append(machine.generation)
        #expect(generations == [0, 1, 2, 3, 4, 5])
    }
}
