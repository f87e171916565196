extension HealthMonitorStateMachine {
    // MARK: - Active checks

    /// Reports the result of a probe from ``HealthMonitorActions/probes``. A timed-out probe is a failure.
    /// Results of probes that were abandoned or of removed endpoints are dropped.
    ///
    /// - Parameter generator: The source of the jitter of the next check's delay.
    @inlinable
    public mutating func probeCompleted(
        _ probe: ProbeRequest,
        success: Bool,
        now: Instant,
        using generator: inout some RandomNumberGenerator
    ) -> Actions {
        var actions = Actions()
        guard let activeChecks = self.configuration.activeChecks,
            var state = self.endpoints[probe.endpoint],
            state.probeInFlight == probe.id
        else { return actions }
        state.probeInFlight = nil

        var verdictChanged = false
        if let verdict = state.thresholds?.record(success: success) {
            verdictChanged = true
            actions.events.append(verdict ? .healthy(probe.endpoint) : .unhealthy(probe.endpoint))
            self.adjustDecayAnchor(of: &state, healthy: verdict, now: now)
        }

        let base = state.activeVerdict == true ? activeChecks.interval : activeChecks.unhealthyInterval
        let delay = Self.jittered(base, by: activeChecks.jitter, using: &generator)
        let id = self.makeID()
        state.scheduledCheck = id
        actions.timers.append(Timer(purpose: .check(probe.endpoint, id: id), deadline: now.advanced(by: delay)))
        self.endpoints[probe.endpoint] = state

        if verdictChanged {
            self.updatePanic(&actions)
        }
        return actions
    }

    @inlinable
    mutating func checkDue(_ endpoint: Endpoint, id: UInt64, now: Instant, actions: inout Actions) {
        guard let activeChecks = self.configuration.activeChecks,
            var state = self.endpoints[endpoint],
            state.scheduledCheck == id
        else { return }
        state.scheduledCheck = nil
        let probeID = self.makeID()
        state.probeInFlight = probeID
        self.endpoints[endpoint] = state
        actions.probes.append(
            ProbeRequest(endpoint: endpoint, id: probeID, deadline: now.advanced(by: activeChecks.timeout))
        )
    }

    /// `base × (1 ± jitter)`, uniformly.
    @inlinable
    static func jittered(
        _ base: Duration,
        by jitter: Double,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        guard jitter > 0 else { return base }
        let unit = Double.random(in: 0..<1, using: &random)
        return base * (1 + jitter * (2 * unit - 1))
    }

    /// An ejection count only decays while the endpoint is healthy and in service.
    @inlinable
    func adjustDecayAnchor(of state: inout EndpointState, healthy: Bool, now: Instant) {
        guard let decayInterval = self.configuration.outlierDetection?.ejectionDecayInterval,
            state.ejectedUntil == nil
        else { return }
        if healthy {
            state.decayAnchor = now
        } else {
            state.applyDecay(at: now, decayInterval: decayInterval)
            state.decayAnchor = nil
        }
    }
}
