extension HealthMonitorStateMachine {
    /// Everything the machine knows about one endpoint.
    @usableFromInline
    struct EndpointState: Sendable {
        /// `nil` when active checks are off.
        @usableFromInline var thresholds: HealthThresholds?
        @usableFromInline var scheduledCheck: UInt64?
        @usableFromInline var probeInFlight: UInt64?

        @usableFromInline var consecutiveFailures = 0
        @usableFromInline var intervalRequests = 0
        @usableFromInline var intervalSuccesses = 0

        @usableFromInline var ejectedUntil: Instant?
        @usableFromInline var ejectionID: UInt64 = 0
        @usableFromInline var ejectionCount = 0
        /// Where decay of `ejectionCount` counts from; `nil` while ejected or unhealthy, when it does not decay.
        @usableFromInline var decayAnchor: Instant?

        @inlinable
        init(activeChecks: ActiveHealthCheckConfiguration?) {
            self.thresholds = activeChecks.map {
                HealthThresholds(healthy: $0.healthyThreshold, unhealthy: $0.unhealthyThreshold)
            }
        }

        @inlinable
        var activeVerdict: Bool? {
            guard let thresholds = self.thresholds else { return true }
            return thresholds.isHealthy
        }

        @inlinable
        var isAvailable: Bool { self.activeVerdict == true && self.ejectedUntil == nil }

        /// The ejection count after the decay earned up to `now`, and the anchor that keeps the remainder.
        @inlinable
        func decayedEjectionCount(at now: Instant, decayInterval: Duration) -> (count: Int, anchor: Instant?) {
            guard let anchor = self.decayAnchor, self.ejectionCount > 0 else {
                return (self.ejectionCount, self.decayAnchor)
            }
            let elapsed = anchor.duration(to: now)
            guard elapsed >= decayInterval else { return (self.ejectionCount, anchor) }
            let steps = Int((elapsed / decayInterval).rounded(.down))
            if steps >= self.ejectionCount { return (0, now) }
            return (self.ejectionCount - steps, anchor.advanced(by: decayInterval * steps))
        }

        @inlinable
        mutating func recordOutcome(success: Bool) {
            self.intervalRequests += 1
            if success {
                self.intervalSuccesses += 1
                self.consecutiveFailures = 0
            } else {
                self.consecutiveFailures += 1
            }
        }

        @inlinable
        mutating func applyDecay(at now: Instant, decayInterval: Duration) {
            (self.ejectionCount, self.decayAnchor) = self.decayedEjectionCount(at: now, decayInterval: decayInterval)
        }
    }
}
