import PoolCore
import PoolCoreTestKit
import Testing

typealias TestPool = ConnectionPool<MockConnection, MockClock>

/// Runs `body` against a running pool, then force-closes it and waits for ``ConnectionPool/run()`` to end.
func withRunningPool(
    _ configuration: ConnectionPoolConfiguration,
    factory: MockConnectionFactory = MockConnectionFactory(autoSucceed: true),
    clock: MockClock = MockClock(),
    observer: RecordingObserver = RecordingObserver(),
    _ body: (TestPool) async throws -> Void
) async throws {
    let pool = try TestPool(configuration: configuration, factory: factory, clock: clock, observer: observer)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await pool.run() }
        try await body(pool)
        pool.forceClose()
        try await group.waitForAll()
    }
}

func isEvent(_ expected: String) -> RecordingObserver.Predicate {
    { event in String(describing: event).hasPrefix(expected) }
}

@Suite struct ConnectionPoolTests {
    @Test func warmsAtStartAndReusesWarmConnections() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        try await withRunningPool(
            testConfiguration { $0.minimumIdleConnections = 2 },
            factory: factory,
            observer: observer
        ) { pool in
            await factory.waitForPendingDials(count: 2)
            factory.succeedNextDial()
            factory.succeedNextDial()
            await observer.waitFor(count: 2, isEvent("connectionOpened"))
            for _ in 0..<100 {
                let lease = try await pool.acquire()
                pool.release(lease)
            }
            let stats = pool.stats()
            #expect(stats.warmed == 2 && stats.created == 2 && stats.idle == 2)
            #expect(stats.hits == 100 && stats.misses == 0 && stats.reuseRate == 1)
            #expect(observer.count(where: isEvent("leaseAcquired")) == 100)
            #expect(observer.count(where: isEvent("leaseReleased")) == 100)
        }
    }

    @Test func anAcquireTimesOutWhenTheClockPassesItsDeadline() async throws {
        let factory = MockConnectionFactory()
        let clock = MockClock()
        let configuration = testConfiguration {
            $0.acquireTimeout = .seconds(2)
            $0.housekeepingInterval = .seconds(60)
        }
        try await withRunningPool(configuration, factory: factory, clock: clock) { pool in
            async let outcome: Result<ConnectionLease<MockConnection>, any Error> = {
                do { return .success(try await pool.acquire()) } catch { return .failure(error) }
            }()
            await factory.waitForPendingDials(count: 1)
            await clock.waitForSleeper(until: .seconds(2))
            clock.advance(by: .seconds(2))
            guard case .failure(ConnectionPoolError.acquireTimeout) = await outcome else {
                Issue.record("expected a timeout")
                return
            }
            #expect(pool.stats().timeouts == 1)
            factory.succeedNextDial()
            let lease = try await pool.acquire()
            #expect(lease.connection.id == 1, "the dial outlived its waiter and the connection was kept")
            pool.release(lease)
        }
    }

    @Test func cancellingAWaitingTaskEndsItsAcquire() async throws {
        let factory = MockConnectionFactory()
        let observer = RecordingObserver()
        try await withRunningPool(testConfiguration(), factory: factory, observer: observer) { pool in
            let waiting = Task { try await pool.acquire() }
            await observer.waitFor(isEvent("waiterQueued"))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
            #expect(pool.stats().cancellations == 1 && pool.stats().waiting == 0)
            await observer.waitFor(isEvent("acquireCancelled"))
        }
    }

    @Test func aDialFailureStormFailsFastThenRecovers() async throws {
        let factory = MockConnectionFactory()
        let clock = MockClock()
        let observer = RecordingObserver()
        let configuration = testConfiguration {
            $0.failFastAfterDialFailures = 2
            $0.dialBackoffInitial = .milliseconds(100)
            $0.housekeepingInterval = .seconds(60)
        }
        try await withRunningPool(configuration, factory: factory, clock: clock, observer: observer) { pool in
            let waiting = Task { try await pool.acquire() }
            await factory.waitForPendingDials(count: 1)
            factory.failNextDial(with: MockError("refused"))
            await clock.waitForSleeper(until: .milliseconds(100))
            clock.advance(by: .milliseconds(100))
            await factory.waitForPendingDials(count: 1)
            factory.failNextDial(with: MockError("still refused"))

            await #expect(throws: ConnectionPoolError.self) { try await waiting.value }
            await observer.waitFor(isEvent("failFastStarted"))
            do {
                _ = try await pool.acquire()
                Issue.record("expected a fast failure")
            } catch ConnectionPoolError.dialFailed(let error) {
                #expect(error as? MockError == MockError("still refused"))
            }
            #expect(factory.dialAttempts == 2, "failing fast does not dial per acquire")

            await clock.waitForSleeper(until: .milliseconds(300))
            clock.advance(by: .milliseconds(200))
            await factory.waitForPendingDials(count: 1)
            factory.succeedNextDial()
            await observer.waitFor(isEvent("failFastRecovered"))
            let lease = try await pool.acquire()
            pool.release(lease)
            #expect(pool.stats().dialFailures == 2)
        }
    }

    @Test func drainWaitsForLeasesThenClosesEverything() async throws {
        let observer = RecordingObserver()
        let factory = MockConnectionFactory(autoSucceed: true)
        let pool = try TestPool(
            configuration: testConfiguration { $0.minimumIdleConnections = 2 },
            factory: factory,
            clock: MockClock(),
            observer: observer
        )
        async let running: Void = pool.run()
        await observer.waitFor(count: 2, isEvent("connectionOpened"))
        let lease = try await pool.acquire()

        async let drained: Void = pool.drain()
        await observer.waitFor(isEvent("drainStarted"))
        await #expect(throws: ConnectionPoolError.self) { try await pool.acquire() }
        let idle = factory.connections.first { $0 !== lease.connection }!
        await idle.waitUntilClosed()
        #expect(!lease.connection.isClosed, "a leased connection is not closed by a drain")

        pool.release(lease)
        await drained
        await running
        await lease.connection.waitUntilClosed()
        #expect(pool.stats().closed[.drain] == pool.stats().created)
        #expect(observer.count(where: isEvent("poolClosed")) == 1)
    }

    @Test func forceCloseClosesLeasedConnectionsAtOnce() async throws {
        let factory = MockConnectionFactory(autoSucceed: true)
        let pool = try TestPool(configuration: testConfiguration(), factory: factory, clock: MockClock())
        async let running: Void = pool.run()
        let lease = try await pool.acquire()
        pool.forceClose()
        await lease.connection.waitUntilClosed()
        pool.release(lease)
        await running
        #expect(pool.stats().leases == 0 && pool.stats().inUse == 0)
    }

    @Test func aFailingKeepAliveClosesTheConnectionAndTheMinimumIsRestored() async throws {
        let factory = MockConnectionFactory(autoSucceed: true)
        let clock = MockClock()
        let observer = RecordingObserver()
        let configuration = testConfiguration {
            $0.minimumIdleConnections = 1
            $0.keepAliveInterval = .seconds(3)
        }
        try await withRunningPool(configuration, factory: factory, clock: clock, observer: observer) { pool in
            await observer.waitFor(isEvent("connectionOpened"))
            let first = factory.connections[0]
            first.failKeepAlives(with: MockError("no PONG"))
            for second in 1...3 {
                await clock.waitForSleeper(until: .seconds(second))
                clock.advance(by: .seconds(1))
            }
            await first.waitUntilClosed()
            await observer.waitFor(isEvent("keepAliveFailed"))
            #expect(observer.count(where: isEvent("keepAliveStarted")) == 1)
            await observer.waitFor(count: 2, isEvent("connectionOpened"))
            #expect(first.keepAliveCount == 1)
            #expect(pool.stats().closed[.error] == 1)
            let lease = try await pool.acquire()
            #expect(lease.connection.id == 2)
            pool.release(lease)
        }
    }

    @Test func aLeaseHeldTooLongIsReportedWithItsAge() async throws {
        let clock = MockClock()
        let observer = RecordingObserver()
        try await withRunningPool(
            testConfiguration { $0.leakWarningThreshold = .seconds(2) },
            clock: clock,
            observer: observer
        ) { pool in
            let lease = try await pool.acquire()
            for second in 1...2 {
                await clock.waitForSleeper(until: .seconds(second))
                clock.advance(by: .seconds(1))
            }
            await observer.waitFor(isEvent("leakSuspected"))
            let ages = observer.events.compactMap { event -> Duration? in
                if case .leakSuspected(_, let age) = event { age } else { nil }
            }
            #expect(ages == [.seconds(2)])
            pool.release(lease)
        }
    }

    @Test func multiplexedLeasesShareOneConnection() async throws {
        let factory = MockConnectionFactory(autoSucceed: true)
        let configuration = testConfiguration {
            $0.maximumLeasesPerConnection = 4
            $0.softMaximumConnections = 1
            $0.hardMaximumConnections = 1
        }
        try await withRunningPool(configuration, factory: factory) { pool in
            var leases: [ConnectionLease<MockConnection>] = []
            for _ in 0..<4 { leases.append(try await pool.acquire()) }
            #expect(Set(leases.map(\.connection.id)) == [1])
            #expect(pool.stats().leases == 4 && pool.stats().inUse == 1)
            for lease in leases { pool.release(lease) }
            #expect(factory.dialAttempts == 1)
        }
    }

    @Test func concurrentTasksShareTheConnectionsAndNothingLeaks() async throws {
        let factory = MockConnectionFactory(autoSucceed: true)
        try await withRunningPool(testConfiguration(), factory: factory) { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        for _ in 0..<200 {
                            try await pool.withConnection { connection in #expect(!connection.isClosed) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let stats = pool.stats()
            #expect(stats.hits + stats.misses == 32 * 200)
            #expect(stats.leases == 0 && stats.inUse == 0 && stats.waiting == 0)
            #expect(stats.created <= 4)
            #expect(stats.created - stats.closedTotal == stats.idle)
            #expect(stats.reuseRate > 0.95)
        }
    }

    @Test func instantsPassedInTimeTheLeaseWithoutTheClock() async throws {
        let observer = RecordingObserver()
        let configuration = testConfiguration {
            $0.maximumLeasesPerConnection = 2
            $0.minimumIdleConnections = 1
        }
        try await withRunningPool(configuration, observer: observer) { pool in
            await observer.waitFor(isEvent("connectionOpened"))
            // The mock clock stays at zero: only the instants given can make the lease last 3 s.
            let first = try await pool.acquire(at: MockClock.Instant(offset: .seconds(1)))
            let second = try await pool.acquire(at: MockClock.Instant(offset: .seconds(1)))
            #expect(first.connection.id == second.connection.id)
            #expect(pool.stats().leases == 2 && pool.stats().inUse == 1 && pool.stats().hits == 2)
            pool.release(first, at: MockClock.Instant(offset: .seconds(4)))
            pool.release(second, at: MockClock.Instant(offset: .seconds(2)), discard: true)
            let held = observer.events.compactMap { event -> Duration? in
                if case .leaseReleased(_, let heldFor) = event { heldFor } else { nil }
            }
            #expect(held == [.seconds(3), .seconds(1)])
            #expect(observer.count(where: isEvent("leaseAcquired")) == 2)
            let stats = pool.stats()
            #expect(stats.leases == 0 && stats.inUse == 0)
            #expect(stats.closed[.error] == 1)
        }
    }
}

@Suite struct ConnectionPoolContinuousClockTests {
    @Test func continuousClockPoolsCanBeMadeFromAFactoryOrAClosure() async throws {
        let fromFactory = try ConnectionPool(
            configuration: testConfiguration(),
            factory: MockConnectionFactory(),
            observer: RecordingObserver()
        )
        let fromClosure = try ConnectionPool(configuration: testConfiguration()) { MockConnection(id: 1) }
        fromFactory.forceClose()
        fromClosure.forceClose()
        await fromFactory.run()
        await fromClosure.run()
        #expect(fromFactory.stats().created == 0 && fromClosure.stats().created == 0)
    }
}
