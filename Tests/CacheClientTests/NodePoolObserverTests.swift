import Testing

@testable import CacheClient

@Suite struct NodePoolObserverTests {
    @Test func leasesFeedTheWaitHistogramAndTheGaugesFollowThePoolSnapshot() throws {
        let client = try CacheClient(configuration: .default)
        let node = client.nodes[0]
        let observer = node.poolMetrics
        observer.connectionPool(didEmit: .connectionOpened(1))
        observer.connectionPool(didEmit: .connectionOpened(2))
        observer.connectionPool(didEmit: .leaseAcquired(1, waited: .zero))
        observer.connectionPool(didEmit: .leaseAcquired(1, waited: .milliseconds(2)))
        observer.connectionPool(didEmit: .leaseAcquired(2, waited: .zero))
        observer.connectionPool(didEmit: .leaseReleased(2, heldFor: .milliseconds(1)))
        var stats = node.pool.stats()
        stats.idle = 1
        stats.inUse = 1
        stats.waiting = 3
        observer.update(from: stats)

        let exposition = client.metricsRegistry.prometheusExposition()
        let pool = "pool=\"\(node.name)\""
        #expect(exposition.contains("cache_pool_acquire_wait_seconds_count{\(pool)} 3"))
        #expect(exposition.contains("cache_pool_connections{\(pool),state=\"idle\"} 1"))
        #expect(exposition.contains("cache_pool_connections{\(pool),state=\"used\"} 1"))
        #expect(exposition.contains("cache_pool_connections_created_total{\(pool)} 2"))
        #expect(exposition.contains("cache_pool_pending_acquires{\(pool)} 3"))
    }
}
