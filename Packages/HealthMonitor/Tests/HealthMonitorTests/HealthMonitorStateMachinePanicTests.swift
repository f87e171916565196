import Testing

@testable import HealthMonitor

@Suite struct HealthMonitorStateMachinePanicTests {
    static let detection = OutlierDetectionConfiguration(
        consecutiveFailures: 1,
        baseEjectionTime: .seconds(10),
        maxEjectionPercent: 100
    )

    static func makeMachine(panicThreshold: Double, endpoints: [String]) -> Machine {
        var machine = Machine(
            configuration: HealthMonitorConfiguration(
                activeChecks: nil,
                outlierDetection: detection,
                panicThreshold: panicThreshold
            )
        )
        for endpoint in endpoints {
            _ = machine.addEndpoint(endpoint, now: t0)
        }
        return machine
    }

    @Test func belowThePanicThresholdEveryEndpointIsRoutable() throws {
        var machine = Self.makeMachine(panicThreshold: 50, endpoints: ["a", "b", "c", "d"])
        #expect(machine.record("a", success: false, at: t0) == [.ejected("a", until: at(.seconds(10)))])
        #expect(machine.record("b", success: false, at: t0) == [.ejected("b", until: at(.seconds(10)))])
        #expect(!machine.isPanicking, "2 of 4 healthy is exactly the threshold")
        #expect(machine.routableEndpoints == ["c", "d"])

        let third = machine.recordOutcome(of: "c", success: false, now: t0)
        #expect(third.events == [.ejected("c", until: at(.seconds(10))), .panicEntered])
        #expect(machine.isPanicking)
        #expect(machine.routableEndpoints == ["a", "b", "c", "d"])
        #expect(machine.isRoutable("a"))
        #expect(!machine.isRoutable("x"))

        let restoreC = try #require(third.onlyTimer)
        #expect(machine.timerFired(restoreC, now: restoreC.deadline).events == [.restored("c"), .panicLeft])
        #expect(!machine.isPanicking)
        #expect(machine.routableEndpoints == ["c", "d"])
    }

    @Test func zeroThresholdNeverPanics() {
        var machine = Self.makeMachine(panicThreshold: 0, endpoints: ["a", "b"])
        #expect(machine.record("a", success: false, at: t0).count == 1)
        #expect(machine.record("b", success: false, at: t0).count == 1)
        #expect(!machine.isPanicking)
        #expect(machine.routableEndpoints.isEmpty)
    }

    @Test func membershipChangesMoveThePanicState() {
        var machine = Self.makeMachine(panicThreshold: 50, endpoints: ["a", "b"])
        #expect(machine.record("a", success: false, at: t0).count == 1)
        #expect(machine.addEndpoint("c", now: t0).isEmpty, "2 of 3 healthy")
        #expect(machine.record("b", success: false, at: t0) == [.ejected("b", until: at(.seconds(10))), .panicEntered])
        #expect(machine.addEndpoint("d", now: t0).events == [.panicLeft], "2 of 4 healthy")
        #expect(machine.removeEndpoint("d", now: t0).events == [.panicEntered])
        #expect(machine.removeEndpoint("a", now: t0).events == [.panicLeft], "1 of 2 healthy is the threshold")
        #expect(machine.removeEndpoint("b", now: t0).isEmpty)
        #expect(machine.removeEndpoint("c", now: t0).isEmpty, "an empty set does not panic")
    }

    @Test func newlyCheckedEndpointsStartInPanicUntilTheirFirstSuccess() throws {
        var machine = Machine(
            configuration: HealthMonitorConfiguration(
                activeChecks: ActiveHealthCheckConfiguration(jitter: 0, healthyThreshold: 1, unhealthyThreshold: 1),
                outlierDetection: nil,
                panicThreshold: 50
            )
        )
        var generator = FixedRandomNumberGenerator.middle
        let addedA = machine.addEndpoint("a", now: t0)
        #expect(addedA.events == [.panicEntered])
        #expect(machine.routableEndpoints == ["a"], "routes to all while panicking")
        let addedB = machine.addEndpoint("b", now: t0)
        #expect(addedB.events.isEmpty)

        let probeA = try #require(addedA.onlyProbe)
        #expect(
            machine.probeCompleted(probeA, success: true, now: t0, using: &generator).events == [
                .healthy("a"), .panicLeft,
            ]
        )
        #expect(machine.routableEndpoints == ["a"])

        let probeB = try #require(addedB.onlyProbe)
        #expect(machine.probeCompleted(probeB, success: false, now: t0, using: &generator).events == [.unhealthy("b")])
        #expect(machine.routableEndpoints == ["a"])
    }
}
