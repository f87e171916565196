extension HealthMonitorStateMachine {
    // MARK: - Passive outlier detection

    /// Reports the outcome of one real request to the endpoint. Enough consecutive failures eject it;
    /// outcomes count towards its success rate. Outcomes of ejected or unknown endpoints are ignored.
    @inlinable
    public mutating func recordOutcome(of endpoint: Endpoint, success: Bool, now: Instant) -> Actions {
        var actions = Actions()
        // Mutating through the index avoids copying the endpoint's state out and back on this per-request path.
        guard let outlierDetection = self.configuration.outlierDetection,
            let index = self.endpoints.index(forKey: endpoint),
            self.endpoints.values[index].ejectedUntil == nil
        else { return actions }
        self.endpoints.values[index].recordOutcome(success: success)
        if !success, let limit = outlierDetection.consecutiveFailures,
            self.endpoints.values[index].consecutiveFailures >= limit
        {
            self.eject(endpoint, now: now, actions: &actions)
        }
        return actions
    }

    /// Ejects the endpoint unless that would eject more than the maximum percentage of endpoints.
    @inlinable @discardableResult
    mutating func eject(_ endpoint: Endpoint, now: Instant, actions: inout Actions) -> Bool {
        guard let outlierDetection = self.configuration.outlierDetection,
            var state = self.endpoints[endpoint],
            state.ejectedUntil == nil,
            Double(self.ejectedCount + 1) * 100 <= Double(self.order.count) * outlierDetection.maxEjectionPercent
        else { return false }
        state.applyDecay(at: now, decayInterval: outlierDetection.ejectionDecayInterval)
        state.ejectionCount += 1
        let duration = min(outlierDetection.baseEjectionTime * state.ejectionCount, outlierDetection.maxEjectionTime)
        let until = now.advanced(by: duration)
        let id = self.makeID()
        state.ejectedUntil = until
        state.ejectionID = id
        state.decayAnchor = nil
        state.consecutiveFailures = 0
        state.intervalRequests = 0
        state.intervalSuccesses = 0
        self.endpoints[endpoint] = state
        self.ejectedCount += 1
        actions.events.append(.ejected(endpoint, until: until))
        actions.timers.append(Timer(purpose: .restore(endpoint, id: id), deadline: until))
        self.updatePanic(&actions)
        return true
    }

    @inlinable
    mutating func restore(_ endpoint: Endpoint, ejectionID: UInt64, now: Instant, actions: inout Actions) {
        guard var state = self.endpoints[endpoint], state.ejectedUntil != nil, state.ejectionID == ejectionID else {
            return
        }
        state.ejectedUntil = nil
        state.consecutiveFailures = 0
        state.decayAnchor = state.activeVerdict == false ? nil : now
        self.endpoints[endpoint] = state
        self.ejectedCount -= 1
        actions.events.append(.restored(endpoint))
        self.updatePanic(&actions)
    }

    /// Envoy's success-rate rule: eject, worst first, every judged endpoint below `mean − k·σ`.
    @inlinable
    mutating func evaluateSuccessRates(now: Instant, actions: inout Actions) {
        guard let successRate = self.configuration.outlierDetection?.successRate else { return }
        var judged: [(endpoint: Endpoint, rate: Double)] = []
        for endpoint in self.order {
            guard var state = self.endpoints[endpoint] else { continue }
            if state.ejectedUntil == nil && state.intervalRequests >= successRate.minimumRequestVolume {
                judged.append((endpoint, Double(state.intervalSuccesses) / Double(state.intervalRequests)))
            }
            state.intervalRequests = 0
            state.intervalSuccesses = 0
            self.endpoints[endpoint] = state
        }
        guard judged.count >= successRate.minimumHosts else { return }

        let count = Double(judged.count)
        let mean = judged.reduce(0) { $0 + $1.rate } / count
        let variance = judged.reduce(0) { $0 + ($1.rate - mean) * ($1.rate - mean) } / count
        // Equal rates must not eject anyone through rounding in the mean.
        guard variance > 1e-12 else { return }
        let threshold = mean - successRate.stdevFactor * variance.squareRoot()
        let outliers = judged.enumerated()
            .filter { $0.element.rate < threshold }
            .sorted { ($0.element.rate, $0.offset) < ($1.element.rate, $1.offset) }
        for outlier in outliers {
            guard self.eject(outlier.element.endpoint, now: now, actions: &actions) else { break }
        }
    }
}
