import HealthMonitor
import NIOConcurrencyHelpers
import PoolMetrics

/// Exports a `HealthMonitor`'s view of its backends, labelled with each backend's name.
///
/// Health events report changes of verdict, not single checks, so `health_checks_total` counts the checks run
/// by a probe wrapped with ``instrument(probe:)`` or ``instrument(healthCheck:)``. Exported, before the
/// registry's prefix:
///
/// - `backend_healthy{backend}`: 1 while the backend passes active checks and is not ejected, else 0;
/// - `backend_ejections_total{backend}`: ejections by outlier detection;
/// - `health_panic`: 1 while too few backends are routable and traffic goes to all of them;
/// - `health_checks_total{result="healthy|unhealthy|cancelled"}`: active checks by result (a check that
///   misses its timeout is cancelled by the monitor).
///
/// A backend is assumed healthy until an event says otherwise; ``addBackend(_:isHealthy:)`` exports it before
/// its first event. Each family holds at most `maxBackends` backends; events about further backends are not
/// exported.
///
/// ```swift
/// let metrics = try HealthMonitorMetrics<String, ContinuousClock.Instant>(registry: registry)
/// let monitor = HealthMonitor<String, ContinuousClock>(
///     configuration: configuration,
///     probe: metrics.instrument(probe: { try await ping($0) })
/// )
/// group.addTask { await metrics.run(events: monitor.events) }
/// ```
public final class HealthMonitorMetrics<Endpoint: Hashable & Sendable, Instant: InstantProtocol>: Sendable {
    private let healthyFamily: MetricFamily<Gauge>
    private let ejectionsFamily: MetricFamily<Counter>
    private let panic: Gauge
    private let healthyChecks: Counter
    private let unhealthyChecks: Counter
    private let cancelledChecks: Counter
    private let backendLabel: @Sendable (Endpoint) -> String
    private let backends = NIOLockedValueBox<[Endpoint: BackendHealthSeries]>([:])

    /// Registers the health families in `registry`.
    ///
    /// - Parameters:
    ///   - registry: Where the metrics are exported.
    ///   - maxBackends: The most backends exported, a bound on the `backend` label's values.
    ///   - backendLabel: The `backend` label value of an endpoint, such as `host:port`.
    /// - Throws: `MetricsRegistryError` when a family of the same name is registered differently.
    public init(
        registry: MetricsRegistry,
        maxBackends: Int = MetricsRegistry.defaultMaxSeries,
        backendLabel: @escaping @Sendable (Endpoint) -> String = { String(describing: $0) }
    ) throws(MetricsRegistryError) {
        self.healthyFamily = try registry.gauge(
            "backend_healthy",
            help: "1 while the backend passes active checks and is not ejected.",
            labelNames: ["backend"],
            maxSeries: maxBackends
        )
        self.ejectionsFamily = try registry.counter(
            "backend_ejections",
            help: "Ejections by outlier detection.",
            labelNames: ["backend"],
            maxSeries: maxBackends
        )
        self.panic = try registry.gauge(
            "health_panic",
            help: "1 while too few backends are routable and traffic goes to all of them."
        ).labels()
        let checks = try registry.counter(
            "health_checks",
            help: "Active health checks, by result.",
            labelNames: ["result"]
        )
        self.healthyChecks = try checks.labels("healthy")
        self.unhealthyChecks = try checks.labels("unhealthy")
        self.cancelledChecks = try checks.labels("cancelled")
        self.backendLabel = backendLabel
    }

    /// Exports a backend before its first event.
    ///
    /// - Throws: `MetricsRegistryError.tooManySeries(metric:limit:)` beyond `maxBackends` backends.
    public func addBackend(_ endpoint: Endpoint, isHealthy: Bool = true) throws(MetricsRegistryError) {
        let result: Result<Void, MetricsRegistryError> = self.backends.withLockedValue { backends in
            do throws(MetricsRegistryError) {
                var series = try self.series(of: endpoint, in: &backends)
                series.passesActiveChecks = isHealthy
                series.export()
                backends[endpoint] = series
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Follows one health event.
    public func record(_ event: HealthEvent<Endpoint, Instant>) {
        switch event {
        case .healthy(let endpoint):
            self.updateBackend(endpoint) { $0.passesActiveChecks = true }
        case .unhealthy(let endpoint):
            self.updateBackend(endpoint) { $0.passesActiveChecks = false }
        case .ejected(let endpoint, _):
            self.updateBackend(endpoint) { series in
                series.isEjected = true
                series.ejections.increment()
            }
        case .restored(let endpoint):
            self.updateBackend(endpoint) { $0.isEjected = false }
        case .panicEntered:
            self.panic.set(to: 1)
        case .panicLeft:
            self.panic.set(to: 0)
        }
    }

    /// Records every event of `events` until the sequence ends, normally a monitor's `HealthMonitor.events`;
    /// run it in a task that lives as long as the monitor.
    public func run(events: some AsyncSequence<HealthEvent<Endpoint, Instant>, Never>) async {
        for await event in events {
            self.record(event)
        }
    }

    /// Wraps an active check that throws when the endpoint is unhealthy so that every check is counted.
    ///
    /// ```swift
    /// let probe = metrics.instrument(probe: { endpoint in try await ping(endpoint) })
    /// ```
    public func instrument(
        probe: @escaping @Sendable (Endpoint) async throws -> Void
    ) -> @Sendable (Endpoint) async throws -> Void {
        { [healthyChecks, unhealthyChecks, cancelledChecks] endpoint in
            do {
                try await probe(endpoint)
                healthyChecks.increment()
            } catch {
                (error is CancellationError ? cancelledChecks : unhealthyChecks).increment()
                throw error
            }
        }
    }

    /// Wraps an active check that answers whether the endpoint is healthy so that every check is counted.
    ///
    /// ```swift
    /// let healthCheck = metrics.instrument(healthCheck: { endpoint in await isUp(endpoint) })
    /// ```
    public func instrument(
        healthCheck: @escaping @Sendable (Endpoint) async -> Bool
    ) -> @Sendable (Endpoint) async -> Bool {
        { [healthyChecks, unhealthyChecks, cancelledChecks] endpoint in
            let isHealthy = await healthCheck(endpoint)
            if Task.isCancelled {
                cancelledChecks.increment()
            } else {
                (isHealthy ? healthyChecks : unhealthyChecks).increment()
            }
            return isHealthy
        }
    }

    private func updateBackend(_ endpoint: Endpoint, _ change: (inout BackendHealthSeries) -> Void) {
        self.backends.withLockedValue { backends in
            guard var series = try? self.series(of: endpoint, in: &backends) else { return }
            change(&series)
            series.export()
            backends[endpoint] = series
        }
    }

    private func series(
        of endpoint: Endpoint,
        in backends: inout [Endpoint: BackendHealthSeries]
    ) throws(MetricsRegistryError) -> BackendHealthSeries {
        if let existing = backends[endpoint] { return existing }
        let label = self.backendLabel(endpoint)
        let series = BackendHealthSeries(
            healthy: try self.healthyFamily.labels(label),
            ejections: try self.ejectionsFamily.labels(label),
            passesActiveChecks: true
        )
        backends[endpoint] = series
        return series
    }
}
