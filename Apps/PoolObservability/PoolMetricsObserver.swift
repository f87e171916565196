import NIOConcurrencyHelpers
import PoolCore
import PoolMetrics

/// Turns a `ConnectionPool`'s events into the pool metrics of the Prometheus exposition.
///
/// It registers its families once (registering again in the same registry finds the same families, so several
/// pools share them and differ by the `pool` label) and looks every series up at creation, so handling an event
/// never searches a family. Exported, before the registry's prefix:
///
/// - `pool_connections{pool,state="idle|used"}`: open connections by state, counted from the events;
/// - `pool_acquire_wait_seconds{pool}`: how long each served acquire waited (zero when a connection was free);
/// - `pool_connections_created_total{pool}` and `pool_connections_closed_total{pool,reason}`;
/// - `pool_dial_failures_total{pool}`, `pool_acquire_timeouts_total{pool}`,
///   `pool_acquire_cancellations_total{pool}` and `pool_leaks_suspected_total{pool}`;
/// - `pool_pending_acquires{pool}` and `pool_pending_dials{pool}`: acquires waiting and dials in flight. Events
///   cannot say when a waiter leaves the queue by being served, so these two come from
///   ``update(from:)`` with a `ConnectionPoolStats` snapshot; call it before each scrape.
///
/// ```swift
/// let registry = MetricsRegistry(prefix: "redis")
/// let metrics = try PoolMetricsObserver<Int>(registry: registry, pool: "cache")
/// let pool = try ConnectionPool(configuration: configuration, factory: factory, clock: ContinuousClock(),
///                               observer: metrics)
/// // at scrape time:
/// metrics.update(from: pool.stats())
/// let body = registry.prometheusExposition()
/// ```
public final class PoolMetricsObserver<ConnectionID: Hashable & Sendable>: ConnectionPoolObserver, Sendable {
    private let idleConnections: Gauge
    private let usedConnections: Gauge
    private let pendingAcquires: Gauge
    private let pendingDials: Gauge
    private let acquireWait: LatencyHistogram
    private let created: Counter
    private let closedByReason: [ConnectionCloseReason: Counter]
    private let dialFailures: Counter
    private let acquireTimeouts: Counter
    private let acquireCancellations: Counter
    private let leaksSuspected: Counter
    private let tally = NIOLockedValueBox(ConnectionStateTally<ConnectionID>())

    /// Registers the pool families in `registry` and creates this pool's series.
    ///
    /// - Parameters:
    ///   - registry: Where the metrics are exported.
    ///   - pool: The value of the `pool` label; keep it to a fixed, small set of names.
    /// - Throws: `MetricsRegistryError` when a family of the same name is registered differently, or when a
    ///   family already holds its maximum number of series.
    public init(registry: MetricsRegistry, pool: String) throws(MetricsRegistryError) {
        let connections = try registry.gauge(
            "pool_connections",
            help: "Open connections by state.",
            labelNames: ["pool", "state"]
        )
        self.idleConnections = try connections.labels(pool, "idle")
        self.usedConnections = try connections.labels(pool, "used")
        self.pendingAcquires = try registry.gauge(
            "pool_pending_acquires",
            help: "Acquires waiting for a connection.",
            labelNames: ["pool"]
        ).labels(pool)
        self.pendingDials = try registry.gauge(
            "pool_pending_dials",
            help: "Dials in flight.",
            labelNames: ["pool"]
        ).labels(pool)
        self.acquireWait = try registry.histogram(
            "pool_acquire_wait",
            help: "Time an acquire waited for a connection.",
            labelNames: ["pool"]
        ).labels(pool)
        self.created = try registry.counter(
            "pool_connections_created",
            help: "Connections opened.",
            labelNames: ["pool"]
        ).labels(pool)
        let closed = try registry.counter(
            "pool_connections_closed",
            help: "Connections closed, by reason.",
            labelNames: ["pool", "reason"]
        )
        var closedByReason: [ConnectionCloseReason: Counter] = [:]
        for reason in ConnectionCloseReason.allCases {
            closedByReason[reason] = try closed.labels(pool, reason.rawValue)
        }
        self.closedByReason = closedByReason
        self.dialFailures = try registry.counter(
            "pool_dial_failures",
            help: "Dials that failed.",
            labelNames: ["pool"]
        ).labels(pool)
        self.acquireTimeouts = try registry.counter(
            "pool_acquire_timeouts",
            help: "Acquires that gave up after the acquire timeout.",
            labelNames: ["pool"]
        ).labels(pool)
        self.acquireCancellations = try registry.counter(
            "pool_acquire_cancellations",
            help: "Waiting acquires whose task was cancelled.",
            labelNames: ["pool"]
        ).labels(pool)
        self.leaksSuspected = try registry.counter(
            "pool_leaks_suspected",
            help: "Leases held longer than the leak warning threshold.",
            labelNames: ["pool"]
        ).labels(pool)
    }

    /// Updates the metrics for one pool event; the pool calls it.
    public func connectionPool(didEmit event: ConnectionPoolEvent<ConnectionID>) {
        switch event {
        case .connectionOpened(let connection):
            self.created.increment()
            self.updateConnections { $0.opened(connection) }
        case .connectionClosed(let connection, let reason):
            self.closedByReason[reason]?.increment()
            self.updateConnections { $0.closed(connection) }
        case .leaseAcquired(let connection, let waited):
            self.acquireWait.record(waited)
            self.updateConnections { $0.leased(connection) }
        case .leaseReleased(let connection, _):
            self.updateConnections { $0.released(connection) }
        case .dialFailed:
            self.dialFailures.increment()
        case .acquireTimedOut:
            self.acquireTimeouts.increment()
        case .acquireCancelled:
            self.acquireCancellations.increment()
        case .leakSuspected:
            self.leaksSuspected.increment()
        case .poolClosed:
            self.updateConnections { $0.removeAll() }
            self.pendingAcquires.set(to: 0)
            self.pendingDials.set(to: 0)
        case .dialStarted, .failFastStarted, .failFastRecovered, .waiterQueued, .keepAliveStarted,
            .keepAliveSucceeded, .keepAliveFailed, .drainStarted:
            break
        }
    }

    /// Sets the gauges that events cannot keep exact (waiting acquires and dials in flight) from a snapshot.
    ///
    /// ```swift
    /// metrics.update(from: pool.stats())
    /// ```
    public func update(from stats: ConnectionPoolStats) {
        self.pendingAcquires.set(to: Int64(stats.waiting))
        self.pendingDials.set(to: Int64(stats.pending))
    }

    // The gauges are set under the tally's lock so that concurrent events cannot leave them behind the tally.
    private func updateConnections(_ change: (inout ConnectionStateTally<ConnectionID>) -> Void) {
        self.tally.withLockedValue { tally in
            change(&tally)
            self.idleConnections.set(to: Int64(tally.idle))
            self.usedConnections.set(to: Int64(tally.used))
        }
    }
}
