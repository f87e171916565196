import CircuitBreaker
import PoolCoreTestKit
import PoolMetrics
import PoolObservability
import Testing

@Suite struct CircuitBreakerMetricsTests {
    private func stateLines(_ registry: MetricsRegistry, breaker: String) -> [String] {
        registry.sampleLines.filter { $0.hasPrefix(#"breaker_state{breaker="\#(breaker)""#) }.sorted()
    }

    @Test func aNewBreakerIsExportedClosed() throws {
        let registry = MetricsRegistry()
        _ = try CircuitBreakerMetrics(registry: registry, breaker: "a")
        #expect(
            self.stateLines(registry, breaker: "a") == [
                #"breaker_state{breaker="a",state="closed"} 1"#,
                #"breaker_state{breaker="a",state="disabled"} 0"#,
                #"breaker_state{breaker="a",state="forced_open"} 0"#,
                #"breaker_state{breaker="a",state="half_open"} 0"#,
                #"breaker_state{breaker="a",state="open"} 0"#,
            ]
        )
    }

    @Test func transitionsFromARealBreakerMoveTheOneHotState() async throws {
        let registry = MetricsRegistry()
        let metrics = try CircuitBreakerMetrics(registry: registry, breaker: "a")
        let breaker = CircuitBreaker(clock: MockClock())
        var events = breaker.events.makeAsyncIterator()

        breaker.forceOpen()
        metrics.record(try #require(await events.next()))
        #expect(registry.sampleLines.contains(#"breaker_state{breaker="a",state="forced_open"} 1"#))
        #expect(registry.sampleLines.contains(#"breaker_state{breaker="a",state="closed"} 0"#))

        breaker.disable()
        metrics.record(try #require(await events.next()))
        breaker.reset()
        metrics.record(try #require(await events.next()))
        let lines = registry.sampleLines
        #expect(lines.contains(#"breaker_state{breaker="a",state="closed"} 1"#))
        #expect(lines.contains(#"breaker_state{breaker="a",state="forced_open"} 0"#))
        #expect(lines.contains(#"breaker_state{breaker="a",state="disabled"} 0"#))
        #expect(lines.contains(#"breaker_transitions_total{breaker="a",to="forced_open"} 1"#))
        #expect(lines.contains(#"breaker_transitions_total{breaker="a",to="disabled"} 1"#))
        #expect(lines.contains(#"breaker_transitions_total{breaker="a",to="closed"} 1"#))
    }

    @Test func runRecordsEveryEventUntilTheSequenceEnds() async throws {
        let registry = MetricsRegistry()
        let metrics = try CircuitBreakerMetrics(registry: registry, breaker: "b")
        let (stream, continuation) = AsyncStream<CircuitBreakerEvent>.makeStream()
        continuation.yield(
            .stateTransition(CircuitBreakerTransition(from: .closed, to: .open, generation: 1, reason: .forcedOpen))
        )
        continuation.yield(.callNotPermitted(CallNotPermittedError(state: .open)))
        continuation.yield(
            .stateTransition(CircuitBreakerTransition(from: .open, to: .halfOpen, generation: 2, reason: .forcedOpen))
        )
        continuation.finish()
        await metrics.run(events: stream)
        let lines = registry.sampleLines
        #expect(lines.contains(#"breaker_state{breaker="b",state="half_open"} 1"#))
        #expect(lines.contains(#"breaker_state{breaker="b",state="open"} 0"#))
        #expect(lines.contains(#"breaker_transitions_total{breaker="b",to="open"} 1"#))
    }

    @Test func callsByOutcomeFollowTheBreakersCountersWithoutCountingTwice() async throws {
        let registry = MetricsRegistry()
        let metrics = try CircuitBreakerMetrics(registry: registry, breaker: "a")
        let breaker = CircuitBreaker(clock: MockClock())
        try breaker.acquirePermit().record(.success)
        try breaker.acquirePermit().record(.success)
        try breaker.acquirePermit().record(.failure)
        try breaker.acquirePermit().record(.ignored)
        metrics.update(from: breaker)
        metrics.update(from: breaker)
        breaker.forceOpen()
        #expect(throws: CallNotPermittedError.self) { try breaker.acquirePermit() }
        metrics.update(from: breaker)
        let lines = registry.sampleLines
        #expect(lines.contains(#"breaker_calls_total{breaker="a",outcome="success"} 2"#))
        #expect(lines.contains(#"breaker_calls_total{breaker="a",outcome="failure"} 1"#))
        #expect(lines.contains(#"breaker_calls_total{breaker="a",outcome="ignored"} 1"#))
        #expect(lines.contains(#"breaker_calls_total{breaker="a",outcome="not_permitted"} 1"#))
        #expect(lines.contains(#"breaker_state{breaker="a",state="forced_open"} 1"#))
    }

    @Test func aSnapshotOlderThanOneAlreadyExportedCountsNothingTwice() throws {
        let registry = MetricsRegistry()
        let metrics = try CircuitBreakerMetrics(registry: registry, breaker: "a")
        var newer = CircuitBreakerCounters()
        newer.successful = 5
        newer.slow = 2
        var older = CircuitBreakerCounters()
        older.successful = 3
        older.slow = 1
        var newest = newer
        newest.successful = 6
        metrics.update(from: newer)
        metrics.update(from: older)
        metrics.update(from: newest)
        let lines = registry.sampleLines
        #expect(lines.contains(#"breaker_calls_total{breaker="a",outcome="success"} 6"#))
        #expect(lines.contains(#"breaker_slow_calls_total{breaker="a"} 2"#))
    }
}
