import PoolCore
import PoolCoreTestKit

typealias TestPool = ConnectionPool<MockConnection, MockClock>

func testConfiguration(_ edit: (inout ConnectionPoolConfiguration) -> Void = { _ in }) -> ConnectionPoolConfiguration {
    var configuration = ConnectionPoolConfiguration()
    configuration.softMaximumConnections = 4
    configuration.hardMaximumConnections = 4
    configuration.maximumLifetime = nil
    configuration.lifetimeJitter = .zero
    configuration.idleTimeout = nil
    configuration.acquireTimeout = .seconds(5)
    configuration.housekeepingInterval = .seconds(60)
    configuration.dialBackoffJitter = 0
    edit(&configuration)
    return configuration
}

func withRunningPool(
    _ configuration: ConnectionPoolConfiguration,
    factory: MockConnectionFactory,
    clock: MockClock = MockClock(),
    observer: ObservedPool,
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
