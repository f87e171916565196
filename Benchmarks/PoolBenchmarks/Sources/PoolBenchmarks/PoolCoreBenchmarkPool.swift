import PoolCore

/// PoolCore with its full feature set on: stats, an observer, leak tracking, lifetime with jitter, idle
/// timeout and keep-alives.
final class PoolCoreBenchmarkPool: BenchmarkedPool {
    struct Factory: ConnectionFactory {
        let ids = IDSource()

        func makeConnection() async throws -> StubConnection {
            StubConnection(id: self.ids.next())
        }
    }

    struct CountingObserver: ConnectionPoolObserver {
        func connectionPool(didEmit event: ConnectionPoolEvent<Int>) {}
    }

    let pool: ConnectionPool<StubConnection, ContinuousClock>
    let runner: Task<Void, Never>

    init(size: Int) async throws {
        var configuration = ConnectionPoolConfiguration()
        configuration.minimumIdleConnections = size
        configuration.softMaximumConnections = size
        configuration.hardMaximumConnections = size
        configuration.maximumLifetime = .seconds(30 * 60)
        configuration.lifetimeJitter = .seconds(30)
        configuration.idleTimeout = .seconds(10 * 60)
        configuration.keepAliveInterval = .seconds(30)
        configuration.leakWarningThreshold = .seconds(60)
        configuration.acquireTimeout = .seconds(30)
        let pool = try ConnectionPool<StubConnection, ContinuousClock>(
            configuration: configuration,
            factory: Factory(),
            observer: CountingObserver()
        )
        self.pool = pool
        self.runner = Task { await pool.run() }
        while pool.stats().idle < size { await Task.yield() }
    }

    func cycle() async throws {
        let lease = try await self.pool.acquire()
        self.pool.release(lease)
    }

    func shutdown() async {
        await self.pool.drain()
        await self.runner.value
    }
}
