import PoolCore
import PoolMetrics
import PoolObservability

/// A node pool's observer: PoolObservability's ``PoolMetricsObserver`` for the rare events, and a cheap path for
/// the two that come with every request.
///
/// `PoolMetricsObserver` counts leases per connection under a lock, in generic code that runs unspecialised
/// here; on a pool that lends a connection per request that was a fifth of the client's overhead over a bare
/// connection. This observer records the acquire wait into the same `pool_acquire_wait` series instead, and
/// ignores releases: the `pool_connections{state}` gauges are set from the pool's own counts in
/// ``update(from:)``, before each exposition.
///
/// ```swift
/// let observer = try NodePoolObserver(registry: registry, pool: "10.0.0.1:6379")
/// let pool = try ConnectionPool(configuration: configuration, observer: observer) { try await dial() }
/// observer.update(from: pool.stats())   // before rendering the registry
/// ```
final class NodePoolObserver: ConnectionPoolObserver, Sendable {
    let metrics: PoolMetricsObserver<Int>
    private let acquireWait: LatencyHistogram
    private let idleConnections: Gauge
    private let usedConnections: Gauge

    /// Registers the pool series of `pool` in `registry`; the families are PoolObservability's, found again by
    /// their identical definitions.
    init(registry: MetricsRegistry, pool: String) throws(MetricsRegistryError) {
        self.metrics = try PoolMetricsObserver<Int>(registry: registry, pool: pool)
        self.acquireWait = try registry.histogram(
            "pool_acquire_wait",
            help: "Time an acquire waited for a connection.",
            labelNames: ["pool"]
        ).labels(pool)
        let connections = try registry.gauge(
            "pool_connections",
            help: "Open connections by state.",
            labelNames: ["pool", "state"]
        )
        self.idleConnections = try connections.labels(pool, "idle")
        self.usedConnections = try connections.labels(pool, "used")
    }

    func connectionPool(didEmit event: ConnectionPoolEvent<Int>) {
        switch event {
        case .leaseAcquired(_, let waited): self.acquireWait.record(waited)
        case .leaseReleased: break
        default: self.metrics.connectionPool(didEmit: event)
        }
    }

    /// Sets the gauges that follow the pool's state from a snapshot: connections by state, waiting acquires
    /// and dials in flight.
    func update(from stats: ConnectionPoolStats) {
        self.metrics.update(from: stats)
        self.idleConnections.set(to: Int64(stats.idle))
        self.usedConnections.set(to: Int64(stats.inUse))
    }
}
