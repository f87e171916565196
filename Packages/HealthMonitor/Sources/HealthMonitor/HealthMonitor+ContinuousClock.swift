extension HealthMonitor where C == ContinuousClock {
    /// Creates a monitor on the continuous clock.
    ///
    /// ```swift
    /// let monitor = HealthMonitor<String, ContinuousClock>(configuration: .init(), probe: { try await ping($0) })
    /// ```
    public convenience init(configuration: HealthMonitorConfiguration, probe: @escaping Probe = { _ in }) {
        self.init(configuration: configuration, clock: ContinuousClock(), probe: probe)
    }
}
