import Testing

@testable import HealthMonitor

@Suite(.timeLimit(.minutes(1))) struct HealthMonitorTests {
    typealias Monitor = HealthMonitor<String, ManualClock>

    static func activeOnly(
        interval: Duration = .seconds(1),
        unhealthyInterval: Duration = .seconds(5),
        jitter: Double = 0,
        timeout: Duration = .milliseconds(300)
    ) -> HealthMonitorConfiguration {
        HealthMonitorConfiguration(
            activeChecks: ActiveHealthCheckConfiguration(
                interval: interval,
                unhealthyInterval: unhealthyInterval,
                jitter: jitter,
                timeout: timeout,
                healthyThreshold: 1,
                unhealthyThreshold: 1
            ),
            outlierDetection: nil,
            panicThreshold: 0
        )
    }

    @Test func probeThatNeverReturnsFailsAtItsTimeout() async {
        let clock = ManualClock()
        let (never, neverContinuation) = AsyncStream<Void>.makeStream()
        let monitor = Monitor(
            configuration: Self.activeOnly(
                interval: .seconds(10),
                unhealthyInterval: .seconds(30),
                timeout: .seconds(2)
            ),
            clock: clock,
            probe: { _ in
                for await _ in never {}
                throw CancellationError()
            }
        )
        var events = monitor.events.makeAsyncIterator()
        let run = Task { await monitor.run() }
        monitor.addEndpoint("a")

        await clock.waitForSleepers(until: at(.seconds(2)))
        clock.advance(by: .milliseconds(1_999))
        #expect(clock.hasSleeper(until: at(.seconds(2))))
        #expect(monitor.health(of: "a")?.activeVerdict == nil)

        clock.advance(by: .milliseconds(1))
        #expect(await events.next() == .unhealthy("a"))
        #expect(monitor.health(of: "a")?.activeVerdict == false)
        await clock.waitForSleepers(until: at(.seconds(32)))

        run.cancel()
        await run.value
        #expect(await events.next() == nil, "events finish with run()")
        neverContinuation.finish()
    }

    @Test func checksRepeatAtTheJitteredIntervalAndSlowDownWhileUnhealthy() async {
        let clock = ManualClock()
        let probe = ScriptedProbe()
        let monitor = Monitor(
            configuration: Self.activeOnly(jitter: 0.2),
            clock: clock,
            randomNumberGenerator: FixedRandomNumberGenerator(value: 0),
            probe: { try await probe($0) }
        )
        var events = monitor.events.makeAsyncIterator()
        let run = Task { await monitor.run() }
        monitor.addEndpoint("a")

        #expect(await events.next() == .healthy("a"))
        await clock.waitForSleepers(until: at(.milliseconds(800)))
        #expect(probe.callCount == 1)

        probe.answer("a", healthy: false)
        clock.advance(to: at(.milliseconds(800)))
        #expect(await events.next() == .unhealthy("a"))
        await clock.waitForSleepers(until: at(.milliseconds(4_800)))
        #expect(probe.callCount == 2)
        #expect(monitor.routableEndpoints.isEmpty)

        probe.answer("a", healthy: true)
        clock.advance(to: at(.milliseconds(4_800)))
        #expect(await events.next() == .healthy("a"))
        await clock.waitForSleepers(until: at(.milliseconds(5_600)))
        #expect(probe.callCount == 3)
        #expect(monitor.routableEndpoints == ["a"])

        run.cancel()
        await run.value
    }

    @Test func reportedFailuresEjectAndTheClockRestoresInEventOrder() async {
        let clock = ManualClock()
        let monitor = Monitor(
            configuration: HealthMonitorConfiguration(
                activeChecks: nil,
                outlierDetection: OutlierDetectionConfiguration(
                    consecutiveFailures: 2,
                    baseEjectionTime: .seconds(10),
                    maxEjectionPercent: 100
                ),
                panicThreshold: 50
            ),
            clock: clock
        )
        var events = monitor.events.makeAsyncIterator()
        let run = Task { await monitor.run() }
        monitor.addEndpoint("a")
        monitor.addEndpoint("b")

        monitor.record("a", success: false)
        monitor.record("a", success: false)
        #expect(monitor.routableEndpoints == ["b"])
        clock.advance(by: .seconds(1))
        monitor.record("b", success: true)
        monitor.record("b", success: false)
        monitor.record("b", success: false)
        #expect(monitor.isPanicking)
        #expect(monitor.routableEndpoints == ["a", "b"])
        #expect(monitor.health(of: "b")?.ejectedUntil == at(.seconds(11)))

        await clock.waitForSleepers(until: at(.seconds(10)))
        clock.advance(to: at(.seconds(10)))
        var received: [Monitor.Event] = []
        while received.count < 4, let event = await events.next() { received.append(event) }
        // "a" is back before the clock moves on: with both timers due at once, their tasks would race.
        await clock.waitForSleepers(until: at(.seconds(11)))
        clock.advance(to: at(.seconds(11)))
        while received.count < 6, let event = await events.next() { received.append(event) }
        #expect(
            received == [
                .ejected("a", until: at(.seconds(10))),
                .ejected("b", until: at(.seconds(11))),
                .panicEntered,
                .restored("a"),
                .panicLeft,
                .restored("b"),
            ]
        )
        #expect(!monitor.isPanicking)
        #expect(monitor.routableEndpoints == ["a", "b"])

        run.cancel()
        await run.value
    }

    @Test func removedEndpointsAreNoLongerProbed() async {
        let clock = ManualClock()
        let probe = ScriptedProbe()
        let monitor = Monitor(configuration: Self.activeOnly(), clock: clock, probe: { try await probe($0) })
        var events = monitor.events.makeAsyncIterator()
        let run = Task { await monitor.run() }
        monitor.addEndpoint("a")
        #expect(await events.next() == .healthy("a"))
        await clock.waitForSleepers(until: at(.seconds(1)))

        monitor.removeEndpoint("a")
        monitor.addEndpoint("b")
        #expect(await events.next() == .healthy("b"))
        clock.advance(to: at(.seconds(1)))
        await clock.waitForSleepers(until: at(.seconds(2)))
        #expect(probe.callCount == 3, "a once, b twice")
        #expect(monitor.isRoutable("b") && !monitor.isRoutable("a"))

        run.cancel()
        await run.value
    }

    @Test func booleanHealthCheckAnswersTheProbe() async {
        let clock = ManualClock()
        let monitor = Monitor(configuration: Self.activeOnly(), clock: clock, healthCheck: { $0 != "down" })
        var events = monitor.events.makeAsyncIterator()
        let run = Task { await monitor.run() }
        monitor.addEndpoint("down")
        #expect(await events.next() == .unhealthy("down"))
        monitor.addEndpoint("up")
        #expect(await events.next() == .healthy("up"))
        #expect(monitor.routableEndpoints == ["up"])

        run.cancel()
        await run.value
    }
}
