import Testing

@testable import HealthMonitor

@Suite struct HealthMonitorStateMachineOutlierDetectionTests {
    static func makeMachine(_ outlierDetection: OutlierDetectionConfiguration, endpoints: [String]) -> Machine {
        var machine = Machine(
            configuration: HealthMonitorConfiguration(
                activeChecks: nil,
                outlierDetection: outlierDetection,
                panicThreshold: 0
            )
        )
        _ = machine.start(now: t0)
        for endpoint in endpoints {
            _ = machine.addEndpoint(endpoint, now: t0)
        }
        return machine
    }

    static let fiveFailures = OutlierDetectionConfiguration(
        consecutiveFailures: 3,
        baseEjectionTime: .seconds(10),
        maxEjectionTime: .seconds(25),
        ejectionDecayInterval: .seconds(60),
        maxEjectionPercent: 100
    )

    // MARK: - Consecutive failures

    @Test func consecutiveFailuresEjectAndTheRestoreTimerBringsTheEndpointBack() throws {
        var machine = Self.makeMachine(Self.fiveFailures, endpoints: ["a", "b"])
        #expect(machine.record("a", success: false, times: 2, at: t0).isEmpty)
        #expect(machine.record("a", success: true, at: t0).isEmpty, "a success breaks the run")
        #expect(machine.record("a", success: false, times: 2, at: t0).isEmpty)
        #expect(machine.health(of: "a", at: t0)?.consecutiveFailures == 2)

        let ejection = machine.recordOutcome(of: "a", success: false, now: at(.seconds(1)))
        #expect(ejection.events == [.ejected("a", until: at(.seconds(11)))])
        let restoreTimer = try #require(ejection.onlyTimer)
        #expect(restoreTimer.deadline == at(.seconds(11)))
        #expect(machine.routableEndpoints == ["b"])
        #expect(!machine.isRoutable("a"))
        #expect(machine.record("a", success: false, times: 5, at: at(.seconds(2))).isEmpty, "ejected: ignored")

        let restored = machine.timerFired(restoreTimer, now: restoreTimer.deadline)
        #expect(restored.events == [.restored("a")])
        #expect(machine.routableEndpoints == ["a", "b"])
        #expect(machine.health(of: "a", at: restoreTimer.deadline)?.consecutiveFailures == 0)
        #expect(machine.timerFired(restoreTimer, now: restoreTimer.deadline).isEmpty, "restored once")
    }

    @Test func outcomesOfUnknownEndpointsAndWithoutOutlierDetectionAreIgnored() {
        var machine = Self.makeMachine(Self.fiveFailures, endpoints: ["a"])
        #expect(machine.record("x", success: false, times: 10, at: t0).isEmpty)
        var plain = Machine(configuration: HealthMonitorConfiguration(activeChecks: nil, outlierDetection: nil))
        _ = plain.addEndpoint("a", now: t0)
        #expect(plain.record("a", success: false, times: 10, at: t0).isEmpty)
        #expect(plain.routableEndpoints == ["a"])
    }

    // MARK: - Ejection time

    @Test func ejectionTimeGrowsWithEachEjectionUpToTheCap() throws {
        var machine = Self.makeMachine(Self.fiveFailures, endpoints: ["a"])
        var now = t0
        var durations: [Duration] = []
        for _ in 0..<4 {
            let timer = try #require(machine.recordOutcomes("a", failures: 3, at: now).onlyTimer)
            durations.append(now.duration(to: timer.deadline))
            #expect(machine.timerFired(timer, now: timer.deadline).events == [.restored("a")])
            now = timer.deadline.advanced(by: .seconds(1))
        }
        #expect(durations == [.seconds(10), .seconds(20), .seconds(25), .seconds(25)])
        #expect(machine.health(of: "a", at: now)?.ejectionCount == 4)
    }

    @Test func ejectionCountDecaysByOneForEachDecayIntervalInService() throws {
        var machine = Self.makeMachine(Self.fiveFailures, endpoints: ["a"])
        var now = t0
        for _ in 0..<2 {
            let timer = try #require(machine.recordOutcomes("a", failures: 3, at: now).onlyTimer)
            _ = machine.timerFired(timer, now: timer.deadline)
            now = timer.deadline
        }
        #expect(now == at(.seconds(30)))
        #expect(machine.health(of: "a", at: now)?.ejectionCount == 2)
        #expect(machine.health(of: "a", at: at(.seconds(89)))?.ejectionCount == 2)
        #expect(machine.health(of: "a", at: at(.seconds(90)))?.ejectionCount == 1)

        let third = machine.recordOutcomes("a", failures: 3, at: at(.seconds(100)))
        #expect(third.events == [.ejected("a", until: at(.seconds(120)))], "count 1 after decay, so 2 × base")

        let timer = try #require(third.onlyTimer)
        _ = machine.timerFired(timer, now: timer.deadline)
        #expect(machine.health(of: "a", at: at(.seconds(240)))?.ejectionCount == 0)
        let fresh = machine.recordOutcomes("a", failures: 3, at: at(.seconds(240)))
        #expect(fresh.events == [.ejected("a", until: at(.seconds(250)))], "fully forgiven: base")
    }

    @Test func ejectionCountDoesNotDecayWhileActiveChecksFail() throws {
        let checks = ActiveHealthCheckConfiguration(
            interval: .seconds(1),
            unhealthyInterval: .seconds(1),
            jitter: 0,
            healthyThreshold: 1,
            unhealthyThreshold: 1
        )
        var driver = ActiveCheckDriver(
            machine: Machine(
                configuration: HealthMonitorConfiguration(
                    activeChecks: checks,
                    outlierDetection: Self.fiveFailures,
                    panicThreshold: 0
                )
            )
        )
        #expect(driver.check(success: true) == [.healthy("a")])
        let timer = try #require(driver.machine.recordOutcomes("a", failures: 3, at: driver.now).onlyTimer)
        _ = driver.machine.timerFired(timer, now: timer.deadline)
        while driver.now < timer.deadline {
            _ = driver.check(success: true)
        }
        #expect(driver.check(success: false) == [.unhealthy("a")])
        while driver.now < timer.deadline.advanced(by: .seconds(200)) {
            _ = driver.check(success: false)
        }
        #expect(driver.machine.health(of: "a", at: driver.now)?.ejectionCount == 1, "no decay while unhealthy")
        let healthySince = driver.now
        #expect(driver.check(success: true) == [.healthy("a")])
        #expect(driver.machine.health(of: "a", at: healthySince.advanced(by: .seconds(59)))?.ejectionCount == 1)
        #expect(driver.machine.health(of: "a", at: healthySince.advanced(by: .seconds(60)))?.ejectionCount == 0)
    }

    // MARK: - Maximum ejection percent

    @Test func neverEjectsMoreThanTheMaximumPercentOfEndpoints() throws {
        var detection = Self.fiveFailures
        detection.maxEjectionPercent = 20
        let endpoints = (0..<10).map { "e\($0)" }
        var machine = Self.makeMachine(detection, endpoints: endpoints)
        #expect(machine.record("e0", success: false, times: 3, at: t0).count == 1)
        let second = machine.recordOutcomes("e1", failures: 3, at: t0)
        #expect(second.events.count == 1)
        #expect(machine.record("e2", success: false, times: 10, at: t0).isEmpty, "2 of 10 is the maximum")
        #expect(machine.routableEndpoints.count == 8)

        let timer = try #require(second.onlyTimer)
        #expect(machine.timerFired(timer, now: timer.deadline).events == [.restored("e1")])
        #expect(machine.record("e2", success: false, at: timer.deadline) == [.ejected("e2", until: at(.seconds(20)))])
    }

    @Test func removingAnEjectedEndpointFreesItsShareOfTheMaximum() {
        var detection = Self.fiveFailures
        detection.maxEjectionPercent = 34
        var machine = Self.makeMachine(detection, endpoints: ["a", "b", "c"])
        #expect(machine.record("a", success: false, times: 3, at: t0).count == 1)
        #expect(machine.record("b", success: false, times: 3, at: t0).isEmpty)
        _ = machine.removeEndpoint("a", now: t0)
        _ = machine.addEndpoint("d", now: t0)
        #expect(machine.record("b", success: false, at: t0).count == 1)
    }

    // MARK: - Success rate

    static func successRateMachine(endpoints: Int, maxEjectionPercent: Double = 100) -> Machine {
        makeMachine(
            OutlierDetectionConfiguration(
                consecutiveFailures: nil,
                successRate: SuccessRateEjectionConfiguration(
                    stdevFactor: 1.9,
                    minimumRequestVolume: 100,
                    minimumHosts: 5,
                    interval: .seconds(10)
                ),
                baseEjectionTime: .seconds(30),
                maxEjectionPercent: maxEjectionPercent
            ),
            endpoints: (0..<endpoints).map { "e\($0)" }
        )
    }

    /// Reports `requests` outcomes of which `successes` succeed, failures spread so no long runs form.
    static func serve(_ machine: inout Machine, _ endpoint: String, requests: Int, successes: Int) {
        for index in 0..<requests {
            _ = machine.recordOutcome(of: endpoint, success: index < successes, now: t0)
        }
    }

    static let evaluation = HealthCheckTimer<String, Instant>(
        purpose: .successRateEvaluation,
        deadline: at(.seconds(10))
    )

    @Test func startSchedulesTheFirstEvaluationAndEachEvaluationTheNext() throws {
        var machine = Machine(
            configuration: HealthMonitorConfiguration(
                activeChecks: nil,
                outlierDetection: OutlierDetectionConfiguration(successRate: SuccessRateEjectionConfiguration())
            )
        )
        #expect(machine.start(now: t0).onlyTimer == Self.evaluation)
        #expect(machine.start(now: t0).isEmpty, "starts once")
        let next = machine.timerFired(Self.evaluation, now: Self.evaluation.deadline)
        #expect(next.onlyTimer?.deadline == at(.seconds(20)))
    }

    @Test func successRateBelowMeanMinusKSigmaIsEjected() {
        var machine = Self.successRateMachine(endpoints: 5)
        for index in 0..<4 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 100)
        }
        Self.serve(&machine, "e4", requests: 100, successes: 50)
        // mean 0.9, σ 0.2, threshold 0.9 − 1.9 × 0.2 = 0.52 > 0.5
        let evaluated = machine.timerFired(Self.evaluation, now: Self.evaluation.deadline)
        #expect(evaluated.events == [.ejected("e4", until: at(.seconds(40)))])
        #expect(evaluated.timers.map(\.purpose).contains(.successRateEvaluation))
    }

    /// Five endpoints at 100% and one at 50%: mean 0.9167, σ 0.1863. With k = 1.9 the threshold is 0.5626 and
    /// the outlier goes; with k = 2.5 it is 0.4508 and the outlier stays.
    @Test(arguments: [(1.9, true), (2.5, false)])
    func stdevFactorSetsTheThreshold(stdevFactor: Double, ejects: Bool) {
        var machine = Self.makeMachine(
            OutlierDetectionConfiguration(
                consecutiveFailures: nil,
                successRate: SuccessRateEjectionConfiguration(stdevFactor: stdevFactor, minimumRequestVolume: 100),
                maxEjectionPercent: 100
            ),
            endpoints: (0..<6).map { "e\($0)" }
        )
        for index in 0..<5 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 100)
        }
        Self.serve(&machine, "e5", requests: 100, successes: 50)
        let evaluated = machine.timerFired(Self.evaluation, now: Self.evaluation.deadline)
        #expect(evaluated.events == (ejects ? [.ejected("e5", until: at(.seconds(40)))] : []))
    }

    @Test func endpointsBelowTheRequestVolumeAreNotJudged() {
        var machine = Self.successRateMachine(endpoints: 6)
        for index in 0..<5 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 100)
        }
        Self.serve(&machine, "e5", requests: 99, successes: 0)
        #expect(machine.timerFired(Self.evaluation, now: Self.evaluation.deadline).events.isEmpty)
    }

    @Test func tooFewJudgedEndpointsEjectNobody() {
        var machine = Self.successRateMachine(endpoints: 6)
        for index in 0..<3 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 100)
        }
        Self.serve(&machine, "e3", requests: 100, successes: 0)
        #expect(machine.timerFired(Self.evaluation, now: Self.evaluation.deadline).events.isEmpty)
    }

    @Test func equalSuccessRatesEjectNobody() {
        var machine = Self.successRateMachine(endpoints: 7)
        for index in 0..<7 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 90)
        }
        #expect(machine.timerFired(Self.evaluation, now: Self.evaluation.deadline).events.isEmpty)
    }

    @Test func countersResetEachInterval() {
        var machine = Self.successRateMachine(endpoints: 5)
        for index in 0..<4 {
            Self.serve(&machine, "e\(index)", requests: 60, successes: 60)
        }
        Self.serve(&machine, "e4", requests: 60, successes: 0)
        #expect(machine.timerFired(Self.evaluation, now: Self.evaluation.deadline).events.isEmpty)
        for index in 0..<4 {
            Self.serve(&machine, "e\(index)", requests: 60, successes: 60)
        }
        Self.serve(&machine, "e4", requests: 60, successes: 0)
        #expect(
            machine.timerFired(Self.evaluation, now: Self.evaluation.deadline).events.isEmpty,
            "60 + 60 are not summed"
        )
    }

    @Test func worstOutliersAreEjectedFirstWithinTheMaximumPercent() {
        var machine = Self.successRateMachine(endpoints: 10, maxEjectionPercent: 10)
        for index in 0..<8 {
            Self.serve(&machine, "e\(index)", requests: 100, successes: 100)
        }
        Self.serve(&machine, "e8", requests: 100, successes: 40)
        Self.serve(&machine, "e9", requests: 100, successes: 20)
        let evaluated = machine.timerFired(Self.evaluation, now: Self.evaluation.deadline)
        #expect(evaluated.events == [.ejected("e9", until: at(.seconds(40)))])
    }

    // MARK: - twemproxy

    @Test func twemproxyModeEjectsForTheRetryTimeoutThenRetries() throws {
        let detection = OutlierDetectionConfiguration.twemproxy(serverFailureLimit: 2, serverRetryTimeout: .seconds(30))
        var machine = Self.makeMachine(detection, endpoints: ["a", "b"])
        var now = t0
        for round in 0..<3 {
            #expect(machine.record("a", success: false, at: now).isEmpty, "round \(round): one failure is not enough")
            let ejection = machine.recordOutcomes("a", failures: 1, at: now)
            #expect(ejection.events == [.ejected("a", until: now.advanced(by: .seconds(30)))], "no growth")
            let timer = try #require(ejection.onlyTimer)
            #expect(machine.timerFired(timer, now: timer.deadline).events == [.restored("a")])
            now = timer.deadline
        }
    }

    @Test func twemproxyModeMayEjectEveryEndpoint() {
        let detection = OutlierDetectionConfiguration.twemproxy(serverFailureLimit: 1, serverRetryTimeout: .seconds(5))
        var machine = Self.makeMachine(detection, endpoints: ["a", "b", "c"])
        for endpoint in ["a", "b", "c"] {
            #expect(machine.record(endpoint, success: false, at: t0).count == 1)
        }
        #expect(machine.routableEndpoints.isEmpty)
    }
}

extension HealthMonitorStateMachine where Endpoint == String, Instant == ManualClock.Instant {
    /// Reports `failures` failures and returns the actions of the last one.
    mutating func recordOutcomes(_ endpoint: String, failures: Int, at now: Instant) -> Actions {
        var last = Actions()
        for _ in 0..<failures {
            last = self.recordOutcome(of: endpoint, success: false, now: now)
        }
        return last
    }
}
