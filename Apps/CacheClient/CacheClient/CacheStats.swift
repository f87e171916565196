import PoolCore

/// A snapshot of what a ``CacheClient`` has done since it was created, with its pools' state now.
///
/// ```swift
/// let stats = cache.stats()
/// print("hit rate \(stats.hitRate), p99 \(stats.responseTime.p99), pool idle \(stats.pool.idle)")
/// ```
public struct CacheStats: Sendable {
    /// Reads that found their key.
    public var hits: Int
    /// Reads that did not.
    public var misses: Int
    /// Failed calls of every kind (the four below plus codec errors).
    public var errors: Int
    /// Calls that failed with ``CacheError/timeout(node:reason:)``.
    public var timeouts: Int
    /// Calls that failed fast with ``CacheError/unavailable(node:reason:)``.
    public var unavailable: Int
    /// Calls that failed with ``CacheError/protocolError(node:reason:)``.
    public var protocolErrors: Int
    /// Calls answered with a Redis error reply.
    public var serverErrors: Int
    /// Times a node's breaker opened.
    public var breakerTrips: Int
    /// Times a node's breaker closed again after opening.
    public var breakerResets: Int
    /// Active health checks run, and how many of them failed.
    public var healthChecks: Int
    /// Active health checks that failed.
    public var healthFailures: Int
    /// Connections opened and PINGed by warming in ``CacheClient/start()``, over all nodes.
    public var warmedConnections: Int
    /// `getOrSet` computations run, callers that shared another caller's computation, and early refreshes.
    public var computations: Int
    /// `getOrSet` callers served by another caller's computation (single-flight).
    public var sharedResults: Int
    /// `getOrSet` reads that refreshed a key before it expired.
    public var earlyRefreshes: Int
    /// Compression of large values.
    public var compression: CompressionStats
    /// Time from call to result, over every call.
    public var responseTime: ResponseTimeStats
    /// Each node, in ``CacheClientConfiguration/servers`` order.
    public var nodes: [NodeStats]
    /// Every node's pool stats added up.
    public var pool: ConnectionPoolStats

    /// `hits / (hits + misses)`, or 0 before any read.
    public var hitRate: Double {
        let reads = self.hits + self.misses
        return reads == 0 ? 0 : Double(self.hits) / Double(reads)
    }
}
