import Testing

@testable import CircuitBreaker

/// The ways peer breakers are known to misbehave, each shown not to happen here.
@Suite struct KnownFailureModesTests {
    let t0 = Duration.zero

    // MARK: - Fixed window

    /// 100 healthy calls, then blocks of 100 calls in which calls 1...9 fail: a steady 9% error rate.
    static let ninePercentStream: [Bool] = {
        var stream = [Bool](repeating: false, count: 100)
        for _ in 0..<5 {
            stream += (0..<100).map { (1...9).contains($0) }
        }
        return stream
    }()

    @Test func aFixedWindowTurnsANinePercentErrorRateIntoNinetyPercentButASlidingOneDoesNot() {
        let minimumNumberOfCalls = 10
        var tumbling = TumblingWindow(size: 100)
        var sliding = SlidingWindow(.countBased(calls: 100))
        var worstTumblingRate = 0.0
        var worstSlidingRate = 0.0
        for failure in Self.ninePercentStream {
            tumbling.record(failure: failure)
            sliding.record(failure: failure, slow: false, elapsed: .zero)
            if tumbling.calls >= minimumNumberOfCalls {
                worstTumblingRate = max(worstTumblingRate, tumbling.failureRate)
            }
            let snapshot = sliding.snapshot(elapsed: .zero)
            if snapshot.calls >= minimumNumberOfCalls {
                worstSlidingRate = max(worstSlidingRate, snapshot.failureRate)
            }
        }
        let overall = Double(Self.ninePercentStream.filter { $0 }.count) / Double(Self.ninePercentStream.count)
        #expect(overall < 0.09)
        #expect(worstTumblingRate == 0.9)
        #expect(worstSlidingRate == 0.09)
    }

    @Test func theBreakerDoesNotTripOnASteadyNinePercentErrorRate() {
        let configuration = CircuitBreakerConfiguration.testing(
            window: .countBased(calls: 100),
            minimumNumberOfCalls: 10,
            failureRateThreshold: 0.5
        )
        var machine = CircuitBreakerStateMachine(configuration: configuration)
        for failure in Self.ninePercentStream {
            #expect(machine.call(failure ? .failure : .success, at: self.t0)?.transition == nil)
        }
        #expect(machine.state == .closed)
        #expect(machine.counters.failed == 45)
    }

    // MARK: - Half-open stampede

    @Test func aHalfOpenStampedeGetsOnlyThePermittedCalls() {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        machine.calls(failures: 5, successes: 0, at: self.t0)
        let now = self.t0 + .seconds(10)
        let decisions = (0..<100).map { _ in machine.acquirePermit(at: now).decision }
        #expect(decisions.compactMap(\.tag).count == 3)
        #expect(decisions.prefix(3).allSatisfy { $0.tag != nil })
        #expect(machine.counters.notPermitted == 97)
        #expect(machine.state == .halfOpen)
    }

    @Test func concurrentCallersOfTheSharedBreakerGetOnlyThePermittedCalls() async {
        let clock = ManualClock()
        let breaker = CircuitBreaker(configuration: .testing(), clock: clock)
        for _ in 0..<5 { _ = try? breaker.acquirePermit().record(.failure) }
        #expect(breaker.state == .open)
        clock.advance(by: .seconds(10))

        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask { (try? breaker.acquirePermit()) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 3)
        #expect(breaker.counters.notPermitted == 197)
        #expect(breaker.generation == 2)
    }

    // MARK: - Stuck half-open permits

    @Test func unreportedHalfOpenPermitsAreReclaimedAfterTheirTimeout() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        machine.calls(failures: 5, successes: 0, at: self.t0)
        let halfOpenAt = self.t0 + .seconds(10)
        let lost = (0..<3).compactMap { _ in machine.acquirePermit(at: halfOpenAt).decision.tag }
        #expect(lost.count == 3)

        let justBefore = machine.acquirePermit(at: halfOpenAt + .milliseconds(4_999))
        #expect(justBefore.decision.error?.state == .halfOpen)
        #expect(justBefore.reclaimedPermits == 0)

        let afterTimeout = halfOpenAt + .seconds(5)
        let first = machine.acquirePermit(at: afterTimeout)
        #expect(first.reclaimedPermits == 3)
        let fresh =
            [try #require(first.decision.tag)]
            + (0..<2).compactMap { _ in machine.acquirePermit(at: afterTimeout).decision.tag }
        #expect(fresh.count == 3)
        #expect(machine.counters.reclaimedPermits == 3)

        // A reclaimed permit that finally reports is stale and cannot decide anything.
        #expect(machine.record(.failure, duration: .zero, for: lost[0], at: afterTimeout) == .init(decision: .dropped))
        #expect(machine.counters.failed == 5)

        for tag in fresh { _ = machine.record(.success, duration: .zero, for: tag, at: afterTimeout) }
        #expect(machine.state == .closed)
    }

    // MARK: - Late results

    @Test func aLateFailureFromAnEarlierGenerationIsDropped() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        let slowCallCandidate = machine.acquirePermit(at: self.t0).decision.tag
        let slowCall = try #require(slowCallCandidate)
        machine.calls(failures: 5, successes: 0, at: self.t0)
        #expect(machine.state == .open)
        let countersBefore = machine.counters

        let late = machine.record(.failure, duration: .seconds(30), for: slowCall, at: self.t0 + .seconds(1))
        #expect(late.decision == .dropped)
        #expect(late.transition == nil)
        var expected = countersBefore
        expected.droppedLateResults += 1
        #expect(machine.counters == expected)
    }

    @Test func aLateFailureCannotReopenABreakerThatRecovered() {
        var configuration = CircuitBreakerConfiguration.testing(minimumNumberOfCalls: 1)
        configuration.halfOpen = HalfOpenPolicy(permittedCalls: 1)
        var machine = CircuitBreakerStateMachine(configuration: configuration)
        let stragglers = (0..<5).compactMap { _ in machine.acquirePermit(at: self.t0).decision.tag }
        machine.call(.failure, at: self.t0)
        #expect(machine.state == .open)
        let recovered = self.t0 + .seconds(10)
        machine.call(.success, at: recovered)
        #expect(machine.state == .closed)

        for tag in stragglers {
            #expect(machine.record(.failure, duration: .zero, for: tag, at: recovered).decision == .dropped)
        }
        #expect(machine.state == .closed)
        #expect(machine.windowSnapshot(at: recovered).calls == 0)
        #expect(machine.counters.failed == 1)
        #expect(machine.counters.droppedLateResults == 5)
    }

    @Test func aLateTrialResultFromAnEarlierHalfOpenPeriodIsDropped() throws {
        var machine = CircuitBreakerStateMachine(configuration: .testing())
        machine.calls(failures: 5, successes: 0, at: self.t0)
        let firstHalfOpen = self.t0 + .seconds(10)
        let oldTrialCandidate = machine.acquirePermit(at: firstHalfOpen).decision.tag
        let oldTrial = try #require(oldTrialCandidate)
        machine.call(.failure, at: firstHalfOpen)
        machine.call(.failure, at: firstHalfOpen)
        #expect(machine.state == .open)
        let secondHalfOpen = firstHalfOpen + .seconds(10)
        let newTrialCandidate = machine.acquirePermit(at: secondHalfOpen).decision.tag
        let newTrial = try #require(newTrialCandidate)
        #expect(newTrial.generation > oldTrial.generation)
        #expect(machine.record(.success, duration: .zero, for: oldTrial, at: secondHalfOpen).decision == .dropped)
        #expect(
            machine.record(.success, duration: .zero, for: newTrial, at: secondHalfOpen).decision
                == .recorded(.success, slow: false)
        )
    }
}
