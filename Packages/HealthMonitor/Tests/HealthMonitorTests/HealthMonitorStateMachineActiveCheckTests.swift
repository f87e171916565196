import Testing

@testable import HealthMonitor

@Suite struct HealthMonitorStateMachineActiveCheckTests {
    static let checks = ActiveHealthCheckConfiguration(
        interval: .seconds(1),
        unhealthyInterval: .seconds(5),
        jitter: 0.2,
        timeout: .milliseconds(300),
        healthyThreshold: 2,
        unhealthyThreshold: 3
    )

    static func makeMachine() -> Machine {
        Machine(
            configuration: HealthMonitorConfiguration(activeChecks: checks, outlierDetection: nil, panicThreshold: 0)
        )
    }

    @Test func newEndpointIsProbedAtOnceWithItsTimeoutAndIsHealthyAfterOneSuccess() throws {
        var machine = Self.makeMachine()
        var generator = FixedRandomNumberGenerator.middle
        let added = machine.addEndpoint("a", now: t0)
        let probe = try #require(added.onlyProbe)
        #expect(probe.endpoint == "a")
        #expect(probe.deadline == at(.milliseconds(300)))
        #expect(added.events.isEmpty && added.timers.isEmpty)
        #expect(machine.health(of: "a", at: t0)?.activeVerdict == nil)
        #expect(!machine.isRoutable("a"))

        let completed = machine.probeCompleted(probe, success: true, now: at(.milliseconds(10)), using: &generator)
        #expect(completed.events == [.healthy("a")])
        #expect(completed.onlyTimer?.deadline == at(.milliseconds(1010)))
        #expect(machine.isRoutable("a"))
        #expect(machine.routableEndpoints == ["a"])
    }

    @Test func verdictFlipsOnlyAtTheThresholds() {
        var driver = ActiveCheckDriver(machine: Self.makeMachine())
        #expect(driver.check(success: true) == [.healthy("a")])
        let results = [false, false, true, false, false, false, true, true].map { driver.check(success: $0) }
        #expect(results == [[], [], [], [], [], [.unhealthy("a")], [], [.healthy("a")]])
    }

    @Test func newEndpointThatKeepsFailingTurnsUnhealthyAtTheThreshold() {
        var driver = ActiveCheckDriver(machine: Self.makeMachine())
        #expect([false, false, false].map { driver.check(success: $0) } == [[], [], [.unhealthy("a")]])
    }

    @Test func healthyEndpointsUseTheIntervalAndOthersTheUnhealthyInterval() {
        var driver = ActiveCheckDriver(machine: Self.makeMachine())
        _ = driver.check(success: false)
        #expect(driver.lastDelay == .seconds(5), "no verdict yet")
        _ = driver.check(success: true)
        #expect(driver.lastDelay == .seconds(1), "healthy")
        _ = driver.check(success: false)
        _ = driver.check(success: false)
        #expect(driver.lastDelay == .seconds(1), "still healthy below the unhealthy threshold")
        #expect(driver.check(success: false) == [.unhealthy("a")])
        #expect(driver.lastDelay == .seconds(5), "unhealthy")
        _ = driver.check(success: true)
        #expect(driver.lastDelay == .seconds(5), "still unhealthy below the healthy threshold")
    }

    @Test func nextCheckIsScheduledFromTheProbesCompletion() {
        var driver = ActiveCheckDriver(machine: Self.makeMachine())
        _ = driver.check(success: true, latency: .milliseconds(250))
        #expect(driver.now == at(.milliseconds(1250)))
    }

    @Test(arguments: [0, 1 << 52, (1 << 53) - 1] as [UInt64])
    func jitterOfAFixedDrawIsExact(raw: UInt64) {
        var driver = ActiveCheckDriver(machine: Self.makeMachine())
        driver.generator = FixedRandomNumberGenerator(value: raw)
        _ = driver.check(success: true)
        let unit = Double(raw) / Double(UInt64(1) << 53)
        #expect(driver.lastDelay == .seconds(1) * (1 + 0.2 * (2 * unit - 1)))
        #expect(driver.lastDelay! >= .milliseconds(800) && driver.lastDelay! <= .milliseconds(1200))
    }

    @Test func jitteredDelaysStayWithinBoundsAndSpreadAcrossThem() {
        var generator = SplitMixRandomNumberGenerator(state: 42)
        let delays = (0..<2_000).map { _ in Machine.jittered(.seconds(1), by: 0.2, using: &generator) }
        #expect(delays.allSatisfy { $0 >= .milliseconds(800) && $0 <= .milliseconds(1200) })
        #expect(delays.min()! < .milliseconds(810))
        #expect(delays.max()! > .milliseconds(1190))
        #expect(Machine.jittered(.seconds(1), by: 0, using: &generator) == .seconds(1))
    }

    @Test func lateResultOfATimedOutProbeIsDropped() throws {
        var machine = Self.makeMachine()
        var generator = FixedRandomNumberGenerator.middle
        let probe = try #require(machine.addEndpoint("a", now: t0).onlyProbe)
        let timedOut = machine.probeCompleted(probe, success: false, now: probe.deadline, using: &generator)
        #expect(timedOut.timers.count == 1)
        let late = machine.probeCompleted(probe, success: true, now: at(.seconds(1)), using: &generator)
        #expect(late.isEmpty)
        #expect(machine.health(of: "a", at: t0)?.activeVerdict == nil)
    }

    @Test func staleTimersAndTimersOfRemovedEndpointsDoNothing() throws {
        var machine = Self.makeMachine()
        var generator = FixedRandomNumberGenerator.middle
        let probe = try #require(machine.addEndpoint("a", now: t0).onlyProbe)
        let timer = try #require(machine.probeCompleted(probe, success: true, now: t0, using: &generator).onlyTimer)
        #expect(machine.timerFired(timer, now: timer.deadline).probes.count == 1)
        #expect(machine.timerFired(timer, now: timer.deadline).isEmpty)

        _ = machine.removeEndpoint("a", now: timer.deadline)
        #expect(machine.health(of: "a", at: timer.deadline) == nil)
        #expect(machine.allEndpoints.isEmpty)
        #expect(machine.timerFired(timer, now: timer.deadline).isEmpty)
        #expect(machine.probeCompleted(probe, success: true, now: timer.deadline, using: &generator).isEmpty)
    }

    @Test func addingAnEndpointTwiceChangesNothing() {
        var machine = Self.makeMachine()
        #expect(machine.addEndpoint("a", now: t0).probes.count == 1)
        #expect(machine.addEndpoint("a", now: t0).isEmpty)
        #expect(machine.allEndpoints == ["a"])
    }

    @Test func withoutActiveChecksEndpointsAreHealthyAtOnce() {
        var machine = Machine(configuration: HealthMonitorConfiguration(activeChecks: nil, outlierDetection: nil))
        #expect(machine.addEndpoint("a", now: t0).isEmpty)
        #expect(machine.health(of: "a", at: t0)?.activeVerdict == true)
        #expect(machine.routableEndpoints == ["a"])
    }
}
