import PoolCore
import PoolCoreTestKit

typealias TestPool = ConnectionPool<MockConnection, MockClock>

func testConfiguration(_ edit: (inout ConnectionPoolConfiguration) -> Void = { _ in }) -> ConnectionPoolConfiguration {
    .forTesting(housekeepingInterval: .seconds(60), edit)
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
