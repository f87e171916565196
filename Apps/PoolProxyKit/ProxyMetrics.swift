import CircuitBreaker
import NIOConcurrencyHelpers
import PoolMetrics

/// pool-proxy's Prometheus series, kept in a PoolMetrics registry.
///
/// The request path counts into plain per-loop integers (``PoolTally``, ``ServerTally``); a scrape sums them and
/// moves the registry's counters forward by the difference, so counters stay monotonic and the hot path never
/// touches an atomic shared between cores. Latency goes straight into the registry's HDR histogram, which is
/// sharded per thread.
final class ProxyMetrics: Sendable {
    let registry = MetricsRegistry()
    private let requests: MetricFamily<Counter>
    private let forwardErrors: MetricFamily<Counter>
    private let authFailures: MetricFamily<Counter>
    private let clientParkings: MetricFamily<Counter>
    private let clients: MetricFamily<Gauge>
    private let pinnedClients: MetricFamily<Gauge>
    private let parkedClients: MetricFamily<Gauge>
    private let backendRequests: MetricFamily<Counter>
    private let backendErrors: MetricFamily<Counter>
    private let backendConnections: MetricFamily<Gauge>
    private let backendHealthy: MetricFamily<Gauge>
    private let breakerState: MetricFamily<Gauge>
    private let dedicatedConnections: MetricFamily<Gauge>
    private let durations: MetricFamily<LatencyHistogram>
    private let published = NIOLockedValueBox<[ObjectIdentifier: UInt64]>([:])

    static let maximumSeries = 4_096

    init() {
        let registry = self.registry
        let maximum = Self.maximumSeries
        // Names are fixed and defined once, so registration cannot fail.
        self.requests = try! registry.counter(
            "proxy_requests",
            help: "Client requests by pool and command class.",
            labelNames: ["pool", "command_class"],
            maxSeries: maximum
        )
        self.forwardErrors = try! registry.counter(
            "proxy_forward_errors",
            help: "Requests answered with an error because no backend could take them.",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.authFailures = try! registry.counter(
            "proxy_auth_failures",
            help: "Client AUTH and HELLO AUTH attempts refused (wrong user or password).",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.clientParkings = try! registry.counter(
            "proxy_client_parkings",
            help: "Times an idle client was parked without a channel (client_park_after).",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.clients = try! registry.gauge(
            "proxy_client_connections",
            help: "Clients connected now.",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.pinnedClients = try! registry.gauge(
            "proxy_pinned_clients",
            help: "Clients holding a dedicated backend connection.",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.parkedClients = try! registry.gauge(
            "proxy_parked_clients",
            help: "Idle clients parked without a channel (client_park_after); counted in proxy_client_connections.",
            labelNames: ["pool"],
            maxSeries: maximum
        )
        self.backendRequests = try! registry.counter(
            "backend_requests",
            help: "Requests sent to a backend.",
            labelNames: ["pool", "backend"],
            maxSeries: maximum
        )
        self.backendErrors = try! registry.counter(
            "backend_errors",
            help: "Backend connections lost, by kind (eof, error, timeout).",
            labelNames: ["pool", "backend", "kind"],
            maxSeries: maximum
        )
        self.backendConnections = try! registry.gauge(
            "backend_connections",
            help: "Open connections to a backend, multiplexed and dedicated.",
            labelNames: ["pool", "backend"],
            maxSeries: maximum
        )
        self.backendHealthy = try! registry.gauge(
            "backend_healthy",
            help: "1 while the backend is routable: healthy and not ejected.",
            labelNames: ["pool", "backend"],
            maxSeries: maximum
        )
        self.breakerState = try! registry.gauge(
            "breaker_state",
            help: "1 for the current state of the backend's circuit breaker.",
            labelNames: ["pool", "backend", "state"],
            maxSeries: maximum
        )
        self.dedicatedConnections = try! registry.gauge(
            "pool_connections",
            help: "Dedicated backend connections by state.",
            labelNames: ["pool", "state"],
            maxSeries: maximum
        )
        self.durations = try! registry.histogram(
            "proxy_request_duration",
            help: "Time from writing a request to a backend to reading its reply.",
            labelNames: ["pool"],
            maxSeries: maximum
        )
    }

    /// The latency histogram of a pool, recorded on the request path.
    func latency(pool: String) -> LatencyHistogram {
        (try? self.durations.labels(pool)) ?? LatencyHistogram(name: "proxy_request_duration_seconds")
    }

    /// Refreshes every series of `pool` from its loops.
    func update(from pool: ServerPoolRuntime) async {
        let name = pool.configuration.name
        let (tally, servers) = await pool.tallies()
        for commandClass in CommandClass.allCases {
            self.advance(
                try? self.requests.labels(name, commandClass.label),
                to: tally.requestsByClass[commandClass.rawValue]
            )
        }
        self.advance(try? self.forwardErrors.labels(name), to: tally.forwardErrors)
        self.advance(try? self.authFailures.labels(name), to: tally.authFailures)
        self.advance(try? self.clientParkings.labels(name), to: tally.clientParkings)
        try? self.clients.labels(name).set(to: Int64(tally.clientConnections))
        try? self.pinnedClients.labels(name).set(to: Int64(tally.pinnedClients))
        try? self.parkedClients.labels(name).set(to: Int64(tally.parkedClients))
        let breakers = await pool.breakerStates()
        let serverNames = pool.serverNames
        for (index, server) in servers.enumerated() {
            let backend = serverNames[index]
            self.advance(try? self.backendRequests.labels(name, backend), to: server.requests)
            self.advance(try? self.backendErrors.labels(name, backend, "eof"), to: server.serverEOF)
            self.advance(try? self.backendErrors.labels(name, backend, "error"), to: server.serverErrors)
            self.advance(try? self.backendErrors.labels(name, backend, "timeout"), to: server.serverTimedOut)
            try? self.backendConnections.labels(name, backend).set(to: Int64(server.serverConnections))
            let routable = pool.health?.isRoutable(index) ?? true
            try? self.backendHealthy.labels(name, backend).set(to: routable ? 1 : 0)
            if let state = breakers[index] {
                for candidate in CircuitBreakerState.allCases {
                    try? self.breakerState.labels(name, backend, candidate.rawValue).set(
                        to: candidate.rawValue == state ? 1 : 0
                    )
                }
            }
        }
        let dedicated = pool.dedicatedConnectionStats()
        try? self.dedicatedConnections.labels(name, "idle").set(to: Int64(dedicated.idle))
        try? self.dedicatedConnections.labels(name, "used").set(to: Int64(dedicated.inUse))
    }

    private func advance(_ counter: Counter?, to total: UInt64) {
        guard let counter else { return }
        let delta = self.published.withLockedValue { published -> UInt64 in
            let key = ObjectIdentifier(counter)
            let previous = published[key] ?? 0
            published[key] = max(previous, total)
            return total > previous ? total - previous : 0
        }
        if delta > 0 { counter.increment(by: delta) }
    }
}
