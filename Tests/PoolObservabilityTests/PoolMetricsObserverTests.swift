import PoolCore
import PoolCoreTestKit
import PoolMetrics
import PoolObservability
import Testing

@Suite struct PoolMetricsObserverTests {
    @Test func aRunningPoolsConnectionsAreCountedByStateCreatedAndClosed() async throws {
        let registry = MetricsRegistry()
        let observer = ObservedPool(metrics: try PoolMetricsObserver<Int>(registry: registry, pool: "cache"))
        let factory = MockConnectionFactory(autoSucceed: true)
        try await withRunningPool(testConfiguration(), factory: factory, observer: observer) { pool in
            let first = try await pool.acquire()
            let second = try await pool.acquire()
            await observer.waitFor(count: 2, "leaseAcquired")
            var lines = registry.sampleLines
            #expect(lines.contains(#"pool_connections{pool="cache",state="idle"} 0"#))
            #expect(lines.contains(#"pool_connections{pool="cache",state="used"} 2"#))
            #expect(lines.contains(#"pool_connections_created_total{pool="cache"} 2"#))
            #expect(lines.contains(#"pool_acquire_wait_seconds_count{pool="cache"} 2"#))

            pool.release(first)
            pool.release(second, discard: true)
            await observer.waitFor("connectionClosed")
            lines = registry.sampleLines
            #expect(lines.contains(#"pool_connections{pool="cache",state="idle"} 1"#))
            #expect(lines.contains(#"pool_connections{pool="cache",state="used"} 0"#))
            #expect(lines.contains(#"pool_connections_closed_total{pool="cache",reason="error"} 1"#))
            #expect(lines.contains(#"pool_connections_closed_total{pool="cache",reason="idle"} 0"#))
        }
        await observer.waitFor("poolClosed")
        let lines = registry.sampleLines
        #expect(lines.contains(#"pool_connections{pool="cache",state="idle"} 0"#))
        #expect(lines.contains(#"pool_connections_closed_total{pool="cache",reason="drain"} 1"#))
    }

    @Test func anAcquireTimeoutIsCountedAndPendingGaugesFollowTheStats() async throws {
        let registry = MetricsRegistry()
        let observer = ObservedPool(metrics: try PoolMetricsObserver<Int>(registry: registry, pool: "cache"))
        let factory = MockConnectionFactory()
        let clock = MockClock()
        let configuration = testConfiguration { $0.acquireTimeout = .seconds(2) }
        try await withRunningPool(configuration, factory: factory, clock: clock, observer: observer) { pool in
            async let outcome: Result<ConnectionLease<MockConnection>, any Error> = {
                do { return .success(try await pool.acquire()) } catch { return .failure(error) }
            }()
            await factory.waitForPendingDials(count: 1)
            await observer.waitFor("waiterQueued")
            observer.metrics.update(from: pool.stats())
            var lines = registry.sampleLines
            #expect(lines.contains(#"pool_pending_acquires{pool="cache"} 1"#))
            #expect(lines.contains(#"pool_pending_dials{pool="cache"} 1"#))
            #expect(lines.contains(#"pool_acquire_timeouts_total{pool="cache"} 0"#))

            await clock.waitForSleeper(until: .seconds(2))
            clock.advance(by: .seconds(2))
            guard case .failure(ConnectionPoolError.acquireTimeout) = await outcome else {
                Issue.record("expected a timeout")
                return
            }
            await observer.waitFor("acquireTimedOut")
            observer.metrics.update(from: pool.stats())
            lines = registry.sampleLines
            #expect(lines.contains(#"pool_acquire_timeouts_total{pool="cache"} 1"#))
            #expect(lines.contains(#"pool_pending_acquires{pool="cache"} 0"#))
            #expect(lines.contains(#"pool_acquire_wait_seconds_count{pool="cache"} 0"#))
            factory.failNextDial(with: MockError("refused"))
            await observer.waitFor("dialFailed")
            #expect(registry.sampleLines.contains(#"pool_dial_failures_total{pool="cache"} 1"#))
        }
    }

    @Test func waitsLandInTheirBucketsAndTheSumIsInSeconds() throws {
        let registry = MetricsRegistry()
        let metrics = try PoolMetricsObserver<Int>(registry: registry, pool: "p")
        metrics.connectionPool(didEmit: .connectionOpened(1))
        metrics.connectionPool(didEmit: .leaseAcquired(1, waited: .milliseconds(3)))
        metrics.connectionPool(didEmit: .leaseReleased(1, heldFor: .milliseconds(1)))
        metrics.connectionPool(didEmit: .leaseAcquired(1, waited: .milliseconds(200)))
        let lines = registry.sampleLines
        #expect(lines.contains(#"pool_acquire_wait_seconds_bucket{pool="p",le="0.001"} 0"#))
        #expect(lines.contains(#"pool_acquire_wait_seconds_bucket{pool="p",le="0.005"} 1"#))
        #expect(lines.contains(#"pool_acquire_wait_seconds_bucket{pool="p",le="0.25"} 2"#))
        #expect(lines.contains(#"pool_acquire_wait_seconds_bucket{pool="p",le="+Inf"} 2"#))
        #expect(lines.contains(#"pool_acquire_wait_seconds_count{pool="p"} 2"#))
        let sum = lines.first { $0.hasPrefix(#"pool_acquire_wait_seconds_sum{pool="p"} "#) }
        let seconds = sum.flatMap { Double($0.split(separator: " ")[1]) } ?? -1
        #expect(abs(seconds - 0.203) < 0.001)
    }

    @Test func multiplexedLeasesKeepAConnectionUsedUntilTheLastIsReturned() throws {
        let registry = MetricsRegistry()
        let metrics = try PoolMetricsObserver<Int>(registry: registry, pool: "p")
        metrics.connectionPool(didEmit: .connectionOpened(7))
        metrics.connectionPool(didEmit: .leaseAcquired(7, waited: .zero))
        metrics.connectionPool(didEmit: .leaseAcquired(7, waited: .zero))
        metrics.connectionPool(didEmit: .leaseReleased(7, heldFor: .zero))
        #expect(registry.sampleLines.contains(#"pool_connections{pool="p",state="used"} 1"#))
        metrics.connectionPool(didEmit: .leaseReleased(7, heldFor: .zero))
        #expect(registry.sampleLines.contains(#"pool_connections{pool="p",state="used"} 0"#))
        #expect(registry.sampleLines.contains(#"pool_connections{pool="p",state="idle"} 1"#))
    }

    @Test func eventsAboutConnectionsNeverSeenOpenLeaveTheGaugesAlone() throws {
        let registry = MetricsRegistry()
        let metrics = try PoolMetricsObserver<Int>(registry: registry, pool: "p")
        metrics.connectionPool(didEmit: .connectionOpened(1))
        metrics.connectionPool(didEmit: .leaseAcquired(1, waited: .zero))
        metrics.connectionPool(didEmit: .connectionClosed(1, .validation))
        metrics.connectionPool(didEmit: .leaseReleased(1, heldFor: .zero))
        metrics.connectionPool(didEmit: .leaseAcquired(2, waited: .zero))
        let lines = registry.sampleLines
        #expect(lines.contains(#"pool_connections{pool="p",state="idle"} 0"#))
        #expect(lines.contains(#"pool_connections{pool="p",state="used"} 0"#))
        #expect(lines.contains(#"pool_connections_closed_total{pool="p",reason="validation"} 1"#))
    }

    @Test func twoPoolsShareTheFamiliesAndDifferByLabel() throws {
        let registry = MetricsRegistry(prefix: "redis")
        let cache = try PoolMetricsObserver<Int>(registry: registry, pool: "cache")
        let sessions = try PoolMetricsObserver<Int>(registry: registry, pool: "sessions")
        cache.connectionPool(didEmit: .connectionOpened(1))
        sessions.connectionPool(didEmit: .connectionOpened(1))
        sessions.connectionPool(didEmit: .connectionOpened(2))
        sessions.connectionPool(didEmit: .leakSuspected(2, age: .seconds(90)))
        let lines = registry.sampleLines
        #expect(lines.contains(#"redis_pool_connections_created_total{pool="cache"} 1"#))
        #expect(lines.contains(#"redis_pool_connections_created_total{pool="sessions"} 2"#))
        #expect(lines.contains(#"redis_pool_leaks_suspected_total{pool="sessions"} 1"#))
        #expect(
            registry.prometheusExposition().split(separator: "\n").filter {
                $0 == "# TYPE redis_pool_connections gauge"
            }.count == 1
        )
    }
}
