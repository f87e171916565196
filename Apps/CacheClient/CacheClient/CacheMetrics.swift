import PoolMetrics

/// The client's own series in its ``MetricsRegistry`` (prefix `cache`); the pool and breaker series come from
/// PoolObservability's observers, registered in the same registry per node.
final class CacheMetrics: Sendable {
    let registry: MetricsRegistry
    let requestDuration: LatencyHistogram
    let hits: Counter
    let misses: Counter
    let unavailable: Counter
    let timeouts: Counter
    let protocolErrors: Counter
    let serverErrors: Counter
    let codecErrors: Counter
    let compressedValues: Counter
    let compressionInputBytes: Counter
    let compressionOutputBytes: Counter
    let compressionDuration: LatencyHistogram
    let decompressedValues: Counter
    let sharedResults: Counter
    let computations: Counter
    let earlyRefreshes: Counter
    let breakerTrips: MetricFamily<Counter>
    let breakerResets: MetricFamily<Counter>
    let healthChecks: MetricFamily<Counter>
    let warmedConnections: MetricFamily<Gauge>
    let nodeAvailable: MetricFamily<Gauge>

    init(registry: MetricsRegistry) throws(MetricsRegistryError) {
        self.registry = registry
        self.requestDuration = try registry.histogram(
            "request_duration",
            help: "Time from a call to its result, for every get, set, delete, mget and mset."
        ).labels()
        self.hits = try registry.counter("hits", help: "Reads that found the key.").labels()
        self.misses = try registry.counter("misses", help: "Reads that did not find the key.").labels()
        let errors = try registry.counter("errors", help: "Failed calls, by kind.", labelNames: ["kind"])
        self.unavailable = try errors.labels("unavailable")
        self.timeouts = try errors.labels("timeout")
        self.protocolErrors = try errors.labels("protocol")
        self.serverErrors = try errors.labels("server")
        self.codecErrors = try errors.labels("codec")
        self.compressedValues = try registry.counter(
            "compressed_values",
            help: "Values at or above the threshold that were stored zlib-compressed."
        ).labels()
        self.compressionInputBytes = try registry.counter(
            "compression_input",
            unit: .bytes,
            help: "Bytes handed to zlib."
        ).labels()
        self.compressionOutputBytes = try registry.counter(
            "compression_output",
            unit: .bytes,
            help: "Bytes zlib produced from them."
        ).labels()
        self.compressionDuration = try registry.histogram(
            "compression_duration",
            help: "Time spent compressing one value."
        ).labels()
        self.decompressedValues = try registry.counter(
            "decompressed_values",
            help: "Compressed values read back."
        ).labels()
        self.sharedResults = try registry.counter(
            "single_flight_shared",
            help: "getOrSet callers served by another caller's computation."
        ).labels()
        self.computations = try registry.counter(
            "computations",
            help: "getOrSet computations run (misses and early refreshes)."
        ).labels()
        self.earlyRefreshes = try registry.counter(
            "early_refreshes",
            help: "getOrSet reads that refreshed a key before it expired."
        ).labels()
        self.breakerTrips = try registry.counter(
            "breaker_trips",
            help: "Times a node's circuit breaker opened.",
            labelNames: ["node"]
        )
        self.breakerResets = try registry.counter(
            "breaker_resets",
            help: "Times a node's circuit breaker closed again.",
            labelNames: ["node"]
        )
        self.healthChecks = try registry.counter(
            "health_checks",
            help: "Active health checks (PING), by node and result.",
            labelNames: ["node", "result"]
        )
        self.warmedConnections = try registry.gauge(
            "warmed_connections",
            help: "Connections opened and PINGed by warming in start().",
            labelNames: ["node"]
        )
        self.nodeAvailable = try registry.gauge(
            "node_available",
            help: "1 while a node takes requests, 0 while health checks or outlier detection hold it out.",
            labelNames: ["node"]
        )
    }

    /// Counts a failure by kind.
    func record(_ error: CacheError) {
        switch error {
        case .unavailable: self.unavailable.increment()
        case .timeout: self.timeouts.increment()
        case .protocolError: self.protocolErrors.increment()
        case .server: self.serverErrors.increment()
        case .codec: self.codecErrors.increment()
        }
    }
}
