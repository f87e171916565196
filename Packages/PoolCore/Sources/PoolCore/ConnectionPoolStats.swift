/// A snapshot of a pool's counters (since start) and gauges (now).
///
/// A *hit* is a lease served by an existing connection, at once or after waiting for a release; a *miss* is a
/// lease served by a connection that had to be dialed while the acquire waited.
///
/// ```swift
/// let stats = pool.stats()
/// print("reuse \(stats.reuseRate * 100)%, idle \(stats.idle), in use \(stats.inUse)")
/// ```
public struct ConnectionPoolStats: Sendable, Hashable {
    /// Leases served by a reused connection.
    public var hits = 0
    /// Leases served by a connection dialed while the acquire waited.
    public var misses = 0
    /// Acquires that gave up after the acquire timeout.
    public var timeouts = 0
    /// Waiting acquires whose task was cancelled.
    public var cancellations = 0
    /// Acquires that had to wait.
    public var waitCount = 0
    /// Total time spent waiting by acquires that were served.
    public var waitDuration: Duration = .zero
    /// Connections opened.
    public var created = 0
    /// Dials that failed.
    public var dialFailures = 0
    /// Connections closed, by reason.
    public var closed: [ConnectionCloseReason: Int] = [:]
    /// Connections opened to reach or keep the minimum idle count.
    public var warmed = 0
    /// Open connections with no lease.
    public var idle = 0
    /// Open connections with at least one lease.
    public var inUse = 0
    /// Leases currently held (differs from ``inUse`` for multiplexed pools).
    public var leases = 0
    /// Dials in flight.
    public var pending = 0
    /// Acquires waiting now.
    public var waiting = 0

    /// Creates empty stats.
    public init() {}

    /// `hits / (hits + misses)`, or 1 before any lease.
    public var reuseRate: Double {
        let total = self.hits + self.misses
        return total == 0 ? 1 : Double(self.hits) / Double(total)
    }

    /// Connections closed for any reason.
    public var closedTotal: Int { self.closed.values.reduce(0, +) }
}
