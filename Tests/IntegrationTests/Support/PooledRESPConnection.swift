import PoolCore
import SocketIO
import Synchronization

/// The one-line bridge between PoolCore and SocketIO: a `RESPConnection` that a `ConnectionPool` can lend.
final class PooledRESPConnection: PooledConnection {
    private static let nextID = Atomic<Int>(0)

    let id: Int
    let connection: RESPConnection

    init(_ connection: RESPConnection) {
        self.id = Self.nextID.wrappingAdd(1, ordering: .relaxed).newValue
        self.connection = connection
    }

    var isUsable: Bool { self.connection.isHealthy }

    func keepAlive() async throws {
        _ = try await self.connection.send("PING")
    }

    func close() async {
        await self.connection.close()
    }
}
