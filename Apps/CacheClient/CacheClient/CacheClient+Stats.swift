import PoolCore

extension CacheClient {
    /// Counters since creation, response-time percentiles, compression, and every node's pool now.
    ///
    /// ```swift
    /// let stats = cache.stats()
    /// print("hits \(stats.hits) misses \(stats.misses) p99 \(stats.responseTime.p99)")
    /// ```
    public func stats() -> CacheStats {
        let metrics = self.metrics
        let nodes = self.nodes.map { node in
            NodeStats(
                name: node.name,
                isAvailable: node.isRoutable,
                breakerState: node.breaker?.state,
                breakerTrips: Int(node.breakerTrips.value),
                breakerResets: Int(node.breakerResets.value),
                warmedConnections: Int(node.warmed.value),
                pool: node.pool.stats()
            )
        }
        let latency = metrics.requestDuration.snapshot()
        let compression = metrics.compressionDuration.snapshot()
        let checks = metrics.healthChecks.snapshot()
        var healthChecks = 0
        var healthFailures = 0
        for series in checks.series {
            guard case .counter(let value) = series.value else { continue }
            healthChecks += Int(value)
            if series.labelValues.last == "unhealthy" { healthFailures += Int(value) }
        }
        let unavailable = Int(metrics.unavailable.value)
        let timeouts = Int(metrics.timeouts.value)
        let protocolErrors = Int(metrics.protocolErrors.value)
        let serverErrors = Int(metrics.serverErrors.value)
        return CacheStats(
            hits: Int(metrics.hits.value),
            misses: Int(metrics.misses.value),
            errors: unavailable + timeouts + protocolErrors + serverErrors + Int(metrics.codecErrors.value),
            timeouts: timeouts,
            unavailable: unavailable,
            protocolErrors: protocolErrors,
            serverErrors: serverErrors,
            breakerTrips: nodes.reduce(0) { $0 + $1.breakerTrips },
            breakerResets: nodes.reduce(0) { $0 + $1.breakerResets },
            healthChecks: healthChecks,
            healthFailures: healthFailures,
            warmedConnections: nodes.reduce(0) { $0 + $1.warmedConnections },
            computations: Int(metrics.computations.value),
            sharedResults: Int(metrics.sharedResults.value),
            earlyRefreshes: Int(metrics.earlyRefreshes.value),
            compression: CompressionStats(
                compressedValues: Int(metrics.compressedValues.value),
                decompressedValues: Int(metrics.decompressedValues.value),
                inputBytes: Int(metrics.compressionInputBytes.value),
                outputBytes: Int(metrics.compressionOutputBytes.value),
                totalTime: compression.sum,
                averageTime: compression.mean
            ),
            responseTime: ResponseTimeStats(
                count: Int(latency.count),
                average: latency.mean,
                p50: latency.p50,
                p95: latency.p95,
                p99: latency.p99,
                max: latency.max
            ),
            nodes: nodes,
            pool: .sum(nodes.map(\.pool))
        )
    }

    /// Every series in Prometheus text format (version 0.0.4), prefixed `cache_`: hits, misses, errors by kind,
    /// request duration, compression, single-flight, breaker trips and resets, health checks, warmed
    /// connections, node availability, and PoolObservability's pool and breaker series per node.
    ///
    /// ```swift
    /// let body = cache.prometheusExposition()   // serve at /metrics
    /// ```
    public func prometheusExposition() -> String {
        for node in self.nodes {
            node.poolMetrics.update(from: node.pool.stats())
            if let breaker = node.breaker { node.breakerMetrics?.update(from: breaker) }
        }
        return self.metricsRegistry.prometheusExposition()
    }
}
