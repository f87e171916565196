import HealthMonitor
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures what the monitor itself costs per check and per reported outcome, and relates the per-check cost
/// to a busy connection checked once a second. Run in release mode:
/// `swift run -c release --package-path Packages/HealthMonitor HealthMonitorBenchmark`.
@main
struct HealthMonitorBenchmark {
    typealias Machine = HealthMonitorStateMachine<Int, ContinuousClock.Instant>

    static let endpointCount = 100
    static let busyInterval: Duration = .seconds(1)

    static func main() async {
        print("HealthMonitor benchmark, \(endpointCount) endpoints, release build expected\n")
        let machineCheck = self.stateMachineCheckCost(checks: 2_000_000)
        let machineOutcome = self.stateMachineOutcomeCost(outcomes: 5_000_000)
        let shellOutcome = self.shellOutcomeCost(outcomes: 5_000_000)
        let shellCheck = await self.shellCheckCPUCost(
            endpoints: 200,
            interval: .milliseconds(20),
            duration: .seconds(3)
        )

        print(row("state machine, per check (timer + probe result + jittered reschedule)", machineCheck))
        print(row("state machine, per reported outcome", machineOutcome))
        print(row("HealthMonitor.record, per reported outcome (lock + clock read)", shellOutcome))
        print(row("HealthMonitor end to end, CPU per check (tasks, sleeps, timeout race, lock)", shellCheck))
        let share = shellCheck / (Double(busyInterval.components.seconds) * 1e9) * 100
        print(
            "\nmonitor overhead per endpoint checked every 1 s: \(format(share, digits: 5))% of the connection's time"
        )
        print("budget: 0.1% (1,000,000 ns per check); \(share < 0.1 ? "within" : "OVER") budget")
    }

    // MARK: - State machine

    static func makeConfiguration(successRate: Bool) -> HealthMonitorConfiguration {
        HealthMonitorConfiguration(
            activeChecks: ActiveHealthCheckConfiguration(interval: .seconds(1), jitter: 0.1),
            outlierDetection: OutlierDetectionConfiguration(
                consecutiveFailures: 5,
                successRate: successRate ? SuccessRateEjectionConfiguration() : nil
            ),
            panicThreshold: 50
        )
    }

    /// Nanoseconds per check: fire the check timer, then report a successful probe, which jitters and returns
    /// the next timer. Reads the clock twice per check, as the shell does.
    static func stateMachineCheckCost(checks: Int) -> Double {
        let clock = ContinuousClock()
        var generator = SystemRandomNumberGenerator()
        var machine = Machine(configuration: makeConfiguration(successRate: false))
        var timers: [Machine.Timer] = []
        for endpoint in 0..<endpointCount {
            for probe in machine.addEndpoint(endpoint, now: clock.now).probes {
                timers += machine.probeCompleted(probe, success: true, now: clock.now, using: &generator).timers
            }
        }
        var checksum = 0
        let elapsed = clock.measure {
            for index in 0..<checks {
                let slot = index % timers.count
                let fired = machine.timerFired(timers[slot], now: clock.now)
                let probe = fired.probes[0]
                let completed = machine.probeCompleted(probe, success: true, now: clock.now, using: &generator)
                timers[slot] = completed.timers[0]
                checksum &+= completed.events.count
            }
        }
        precondition(checksum == 0 && machine.routableEndpoints.count == endpointCount)
        return nanoseconds(elapsed) / Double(checks)
    }

    /// Nanoseconds per reported outcome, one failure in ten, which never reaches the ejection limit.
    static func stateMachineOutcomeCost(outcomes: Int) -> Double {
        let clock = ContinuousClock()
        var machine = Machine(configuration: makeConfiguration(successRate: true))
        _ = machine.start(now: clock.now)
        for endpoint in 0..<endpointCount {
            _ = machine.addEndpoint(endpoint, now: clock.now)
        }
        var checksum = 0
        let elapsed = clock.measure {
            for index in 0..<outcomes {
                let actions = machine.recordOutcome(
                    of: index % endpointCount,
                    success: (index / endpointCount) % 10 != 0,
                    now: clock.now
                )
                checksum &+= actions.events.count
            }
        }
        precondition(checksum == 0)
        return nanoseconds(elapsed) / Double(outcomes)
    }

    // MARK: - Shell

    static func shellOutcomeCost(outcomes: Int) -> Double {
        let monitor = HealthMonitor<Int, ContinuousClock>(configuration: makeConfiguration(successRate: true))
        for endpoint in 0..<endpointCount {
            monitor.addEndpoint(endpoint)
        }
        let elapsed = ContinuousClock().measure {
            for index in 0..<outcomes {
                monitor.record(index % endpointCount, success: (index / endpointCount) % 10 != 0)
            }
        }
        return nanoseconds(elapsed) / Double(outcomes)
    }

    /// CPU nanoseconds the whole process spends per check while the monitor checks `endpoints` endpoints
    /// every `interval` with a probe that answers at once. The interval is short only to get many samples.
    static func shellCheckCPUCost(endpoints: Int, interval: Duration, duration: Duration) async -> Double {
        let probes = Atomic<Int>(0)
        let monitor = HealthMonitor<Int, ContinuousClock>(
            configuration: HealthMonitorConfiguration(
                activeChecks: ActiveHealthCheckConfiguration(interval: interval, jitter: 0.1, timeout: .seconds(1)),
                outlierDetection: OutlierDetectionConfiguration(),
                panicThreshold: 50
            ),
            probe: { _ in probes.add(1, ordering: .relaxed) }
        )
        let run = Task { await monitor.run() }
        for endpoint in 0..<endpoints {
            monitor.addEndpoint(endpoint)
        }
        try? await Task.sleep(for: .milliseconds(200))
        let startChecks = probes.load(ordering: .relaxed)
        let startCPU = processCPUNanoseconds()
        try? await Task.sleep(for: duration)
        let cpu = processCPUNanoseconds() - startCPU
        let checks = probes.load(ordering: .relaxed) - startChecks
        run.cancel()
        await run.value
        print("end to end: \(checks) checks in \(duration), \(format(cpu / 1e6, digits: 1)) ms CPU")
        return cpu / Double(max(checks, 1))
    }

    // MARK: - Helpers

    static func processCPUNanoseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e9 + Double(spec.tv_nsec)
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }

    static func format(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return "\((value * scale).rounded() / scale)"
    }

    static func row(_ label: String, _ nanoseconds: Double) -> String {
        "\(label): \(format(nanoseconds, digits: 1)) ns"
    }
}
