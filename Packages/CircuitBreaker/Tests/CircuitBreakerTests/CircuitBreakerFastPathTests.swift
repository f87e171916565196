import Testing

@testable import CircuitBreaker

/// The closed-state path: lock-free permits from the published state, and instants passed in by the caller.
@Suite(.timeLimit(.minutes(1))) struct CircuitBreakerFastPathTests {
    let clock = ManualClock()

    func makeBreaker(_ configuration: CircuitBreakerConfiguration = .testing()) -> CircuitBreaker<ManualClock> {
        CircuitBreaker(
            configuration: configuration,
            clock: self.clock,
            randomSource: ScriptedRandomNumberGenerator.middle
        )
    }

    func instant(_ offset: Duration) -> ManualClock.Instant {
        ManualClock.Instant(offset: offset)
    }

    // MARK: - The machine's promise

    @Test func onlyClosedAndDisabledMachinesGrantPermitsWithoutTime() {
        var machine = CircuitBreakerStateMachine(
            configuration: .testing(minimumNumberOfCalls: 2),
            randomSource: ScriptedRandomNumberGenerator.middle
        )
        #expect(machine.grantsPermitsWithoutTime)
        machine.calls(failures: 2, successes: 0, at: .zero)
        #expect(machine.state == .open)
        #expect(!machine.grantsPermitsWithoutTime)
        _ = machine.acquirePermit(at: .seconds(10))
        #expect(machine.state == .halfOpen)
        #expect(!machine.grantsPermitsWithoutTime)
        _ = machine.forceOpen(at: .seconds(10))
        #expect(!machine.grantsPermitsWithoutTime)
        _ = machine.disable(at: .seconds(10))
        #expect(machine.grantsPermitsWithoutTime)
        _ = machine.reset(at: .seconds(10))
        #expect(machine.grantsPermitsWithoutTime)
    }

    // MARK: - Lock-free permits

    @Test func closedPermitsCarryTheGenerationAndUniqueSequences() throws {
        let breaker = self.makeBreaker()
        let first = try breaker.acquirePermit(at: self.instant(.zero))
        let second = try breaker.acquirePermit()
        #expect(first.tag.state == .closed)
        #expect(first.tag.generation == breaker.generation)
        #expect(first.tag.sequence != second.tag.sequence)
        #expect(first.tag.sequence >= 1 << 63)
        #expect(first.acquiredAt == self.instant(.zero))
    }

    @Test func instantsTimeTheCallWithoutTheClock() throws {
        let breaker = self.makeBreaker()
        let permit = try breaker.acquirePermit(at: self.instant(.seconds(3)))
        // The manual clock never moves: only the instants passed in can make this call slow.
        #expect(permit.record(.success, at: self.instant(.seconds(5))) == .recorded(.success, slow: true))
        let quick = try breaker.acquirePermit(at: self.instant(.seconds(5)))
        #expect(
            breaker.record(quick, .success, at: self.instant(.milliseconds(5_500))) == .recorded(.success, slow: false)
        )
        #expect(breaker.counters.slow == 1)
        #expect(breaker.counters.successful == 2)
    }

    @Test func aTripStopsTheLockFreePathAndDropsItsLatePermits() throws {
        let breaker = self.makeBreaker(.testing(minimumNumberOfCalls: 2))
        let late = try breaker.acquirePermit(at: self.instant(.zero))
        for _ in 0..<2 {
            try breaker.acquirePermit(at: self.instant(.zero)).record(.failure, at: self.instant(.zero))
        }
        #expect(breaker.state == .open)
        #expect(throws: CallNotPermittedError.self) { try breaker.acquirePermit(at: self.instant(.seconds(1))) }
        #expect(breaker.counters.notPermitted == 1)
        #expect(late.record(.success, at: self.instant(.seconds(1))) == .dropped)
        #expect(breaker.counters.droppedLateResults == 1)
    }

    @Test func halfOpenPermitsComeFromTheMachineAndClosingReopensTheLockFreePath() throws {
        let breaker = self.makeBreaker(.testing(minimumNumberOfCalls: 2))
        for _ in 0..<2 {
            try breaker.acquirePermit(at: self.instant(.zero)).record(.failure, at: self.instant(.zero))
        }
        // The open duration (10 s) has passed by the instant given, though the clock has not moved.
        let trials = try (0..<3).map { _ in try breaker.acquirePermit(at: self.instant(.seconds(10))) }
        #expect(breaker.state == .halfOpen)
        #expect(trials.allSatisfy { $0.tag.state == .halfOpen && $0.tag.sequence < 1 << 63 })
        #expect(throws: CallNotPermittedError.self) { try breaker.acquirePermit(at: self.instant(.seconds(10))) }
        for trial in trials { trial.record(.success, at: self.instant(.milliseconds(10_500))) }
        #expect(breaker.state == .closed)
        let closed = try breaker.acquirePermit(at: self.instant(.milliseconds(10_500)))
        #expect(closed.tag.state == .closed)
        #expect(closed.tag.generation == breaker.generation)
        #expect(closed.tag.sequence >= 1 << 63)
    }

    @Test func operatorControlRepublishesTheState() throws {
        let breaker = self.makeBreaker(.testing(minimumNumberOfCalls: 1))
        breaker.forceOpen()
        #expect(throws: CallNotPermittedError(state: .forcedOpen)) {
            try breaker.acquirePermit(at: self.instant(.zero))
        }
        breaker.disable()
        let disabled = try breaker.acquirePermit(at: self.instant(.zero))
        #expect(disabled.tag.state == .disabled)
        #expect(disabled.tag.generation == breaker.generation)
        #expect(disabled.record(.failure, at: self.instant(.zero)) == .recorded(.failure, slow: false))
        #expect(breaker.state == .disabled)
        breaker.reset()
        let closed = try breaker.acquirePermit(at: self.instant(.zero))
        #expect(closed.tag.state == .closed)
        #expect(disabled.record(.failure, at: self.instant(.zero)) == .dropped)
    }

    @Test func lockFreePermitsFromManyTasksAreAllCountedAndUnique() async throws {
        let breaker = self.makeBreaker(.testing(window: .countBased(calls: 1_000), minimumNumberOfCalls: 1_000))
        let sequences = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var sequences: [UInt64] = []
                    for _ in 0..<250 {
                        let permit = try breaker.acquirePermit(at: self.instant(.zero))
                        permit.record(.success, at: self.instant(.zero))
                        sequences.append(permit.tag.sequence)
                    }
                    return sequences
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(sequences).count == 2_000)
        #expect(breaker.counters.successful == 2_000)
        #expect(breaker.windowSnapshot.calls == 1_000)
    }
}
