import PoolMetrics

/// One backend's exported series and what the health events said about it last.
struct BackendHealthSeries: Sendable {
    let healthy: Gauge
    let ejections: Counter
    var passesActiveChecks: Bool
    var isEjected = false

    init(healthy: Gauge, ejections: Counter, passesActiveChecks: Bool) {
        self.healthy = healthy
        self.ejections = ejections
        self.passesActiveChecks = passesActiveChecks
    }

    func export() {
        self.healthy.set(to: self.passesActiveChecks && !self.isEjected ? 1 : 0)
    }
}
