import _ConnectionPoolModule

/// postgres-nio's `_ConnectionPoolModule` pool, warmed to its size, no keep-alive, no-op metrics.
final class PostgresBenchmarkPool: BenchmarkedPool {
    typealias Pool = ConnectionPool<
        PostgresStubConnection,
        Int,
        ConnectionIDGenerator,
        ConnectionRequest<PostgresStubConnection>,
        Int,
        NoOpKeepAliveBehavior<PostgresStubConnection>,
        NoOpConnectionPoolMetrics<Int>,
        ContinuousClock
    >

    let pool: Pool
    let runner: Task<Void, Never>

    init(size: Int) async throws {
        var configuration = _ConnectionPoolModule.ConnectionPoolConfiguration()
        configuration.minimumConnectionCount = size
        configuration.maximumConnectionSoftLimit = size
        configuration.maximumConnectionHardLimit = size
        let pool = Pool(
            configuration: configuration,
            keepAliveBehavior: NoOpKeepAliveBehavior(connectionType: PostgresStubConnection.self),
            observabilityDelegate: NoOpConnectionPoolMetrics(connectionIDType: Int.self),
            clock: ContinuousClock()
        ) { id, _ in
            ConnectionAndMetadata(connection: PostgresStubConnection(id: id), maximalStreamsOnConnection: 1)
        }
        self.pool = pool
        self.runner = Task { await pool.run() }
        // Hold every connection once, so the pool is fully warmed before measuring.
        var leases: [ConnectionLease<PostgresStubConnection>] = []
        for _ in 0..<size { leases.append(try await pool.leaseConnection()) }
        for lease in leases { lease.release() }
    }

    func cycle() async throws {
        let lease = try await self.pool.leaseConnection()
        lease.release()
    }

    func shutdown() async {
        self.pool.triggerForceShutdown()
        await self.runner.value
    }
}
