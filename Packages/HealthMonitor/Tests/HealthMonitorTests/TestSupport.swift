@testable import HealthMonitor

typealias Instant = ManualClock.Instant
typealias Machine = HealthMonitorStateMachine<String, Instant>
typealias Event = HealthEvent<String, Instant>

/// The instant `offset` after the t0 of a test.
func at(_ offset: Duration) -> Instant { Instant(offset: offset) }

let t0 = at(.zero)

extension HealthMonitorStateMachine where Endpoint == String, Instant == ManualClock.Instant {
    /// Adds endpoints at `t0` and makes each healthy with one successful probe.
    mutating func addHealthy(_ endpoints: [String], at now: Instant = t0) {
        var generator = FixedRandomNumberGenerator.middle
        for endpoint in endpoints {
            let actions = self.addEndpoint(endpoint, now: now)
            for probe in actions.probes {
                _ = self.probeCompleted(probe, success: true, now: now, using: &generator)
            }
        }
    }

    /// Reports `count` outcomes and returns the events they caused.
    mutating func record(_ endpoint: String, success: Bool, times count: Int = 1, at now: Instant) -> [Event] {
        (0..<count).flatMap { _ in self.recordOutcome(of: endpoint, success: success, now: now).events }
    }
}

extension HealthMonitorActions {
    /// The only timer, for tests that expect exactly one.
    var onlyTimer: HealthCheckTimer<Endpoint, Instant>? { self.timers.count == 1 ? self.timers[0] : nil }
    /// The only probe, for tests that expect exactly one.
    var onlyProbe: HealthProbeRequest<Endpoint, Instant>? { self.probes.count == 1 ? self.probes[0] : nil }
}
