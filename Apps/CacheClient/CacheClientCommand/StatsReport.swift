import CacheClient

/// Renders ``CacheStats`` for people.
struct StatsReport {
    let stats: CacheStats

    init(_ stats: CacheStats) {
        self.stats = stats
    }

    var text: String {
        let stats = self.stats
        var lines = [
            "hits \(stats.hits)  misses \(stats.misses)  hit rate \(Self.percent(stats.hitRate))",
            "errors \(stats.errors) (unavailable \(stats.unavailable), timeouts \(stats.timeouts))",
            "response time avg \(Self.ms(stats.responseTime.average))  p95 \(Self.ms(stats.responseTime.p95))  "
                + "p99 \(Self.ms(stats.responseTime.p99))  over \(stats.responseTime.count) calls",
            "breaker trips \(stats.breakerTrips)  resets \(stats.breakerResets)  health checks \(stats.healthChecks) "
                + "(failed \(stats.healthFailures))  warmed connections \(stats.warmedConnections)",
            "compression: \(stats.compression.compressedValues) values, ratio "
                + "\(Self.percent(stats.compression.ratio)), avg \(Self.ms(stats.compression.averageTime))",
            "single-flight: \(stats.computations) computations, \(stats.sharedResults) shared, "
                + "\(stats.earlyRefreshes) early refreshes",
            "pool total: idle \(stats.pool.idle)  in use \(stats.pool.inUse)  created \(stats.pool.created)  "
                + "waits \(stats.pool.waitCount)  timeouts \(stats.pool.timeouts)",
        ]
        for node in stats.nodes {
            lines.append(
                "  \(node.name): \(node.isAvailable ? "up" : "DOWN")  breaker \(node.breakerState.map { "\($0)" } ?? "off")  "
                    + "idle \(node.pool.idle)  in use \(node.pool.inUse)  created \(node.pool.created)  "
                    + "dial failures \(node.pool.dialFailures)  warmed \(node.warmedConnections)"
            )
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String {
        String(Double(Int((value * 1000).rounded())) / 10) + "%"
    }

    static func ms(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Double(Int((milliseconds * 1000).rounded())) / 1000) + " ms"
    }
}
