import PoolCore

extension ConnectionPoolStats {
    /// The field-by-field sum of several pools' stats.
    static func sum(_ all: some Sequence<ConnectionPoolStats>) -> ConnectionPoolStats {
        var total = ConnectionPoolStats()
        for stats in all {
            total.hits += stats.hits
            total.misses += stats.misses
            total.timeouts += stats.timeouts
            total.cancellations += stats.cancellations
            total.waitCount += stats.waitCount
            total.waitDuration += stats.waitDuration
            total.created += stats.created
            total.dialFailures += stats.dialFailures
            total.closed.merge(stats.closed, uniquingKeysWith: +)
            total.warmed += stats.warmed
            total.idle += stats.idle
            total.inUse += stats.inUse
            total.leases += stats.leases
            total.pending += stats.pending
            total.waiting += stats.waiting
        }
        return total
    }
}
