@testable import HealthMonitor

/// Plays the shell for one endpoint: fires each check timer at its deadline and answers its probe.
struct ActiveCheckDriver {
    var machine: Machine
    var generator = FixedRandomNumberGenerator.middle
    var now = t0
    let endpoint: String
    /// The delay between the last probe's completion and the check it scheduled.
    private(set) var lastDelay: Duration?
    private var probe: HealthProbeRequest<String, Instant>?

    init(machine: Machine, endpoint: String = "a") {
        self.machine = machine
        self.endpoint = endpoint
        self.probe = self.machine.addEndpoint(endpoint, now: t0).probes.first
    }

    /// Answers the current probe after `latency`, then fires the next check timer; returns the events.
    mutating func check(success: Bool, latency: Duration = .zero) -> [Event] {
        guard let probe = self.probe else { return [] }
        self.now = self.now.advanced(by: latency)
        let completed = self.machine.probeCompleted(probe, success: success, now: self.now, using: &self.generator)
        self.probe = nil
        self.lastDelay = nil
        if let timer = completed.timers.first {
            self.lastDelay = self.now.duration(to: timer.deadline)
            self.now = timer.deadline
            self.probe = self.machine.timerFired(timer, now: timer.deadline).probes.first
        }
        return completed.events
    }
}
