import CircuitBreaker
import PoolCore

/// One node's share of ``CacheStats``.
///
/// ```swift
/// for node in cache.stats().nodes {
///     print(node.name, node.isAvailable, node.breakerState ?? .disabled, node.pool.idle)
/// }
/// ```
public struct NodeStats: Sendable {
    /// The node's name (twemproxy name or `host:port`).
    public var name: String
    /// Whether requests may go to it (not held out by health checks or outlier detection).
    public var isAvailable: Bool
    /// Its breaker's state, or `nil` when breakers are off.
    public var breakerState: CircuitBreakerState?
    /// Times its breaker opened.
    public var breakerTrips: Int
    /// Times its breaker closed again.
    public var breakerResets: Int
    /// Connections warming opened for it.
    public var warmedConnections: Int
    /// Its pool's counters and gauges (PoolCore's `ConnectionPoolStats`).
    public var pool: ConnectionPoolStats
}
