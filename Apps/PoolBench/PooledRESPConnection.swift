import PoolCore
import SocketIO

/// A SocketIO ``RESPConnection`` that PoolCore's ``ConnectionPool`` can lend out.
///
/// ```swift
/// let pool = try ConnectionPool(configuration: configuration) {
///     try await PooledRESPConnection.connect(to: endpoint, id: ids.next())
/// }
/// ```
struct PooledRESPConnection: PooledConnection {
    let id: Int
    let connection: RESPConnection

    static func connect(
        to endpoint: SocketEndpoint,
        configuration: RESPConnectionConfiguration = RESPConnectionConfiguration(),
        id: Int
    ) async throws -> PooledRESPConnection {
        PooledRESPConnection(
            id: id,
            connection: try await RESPConnection.connect(to: endpoint, configuration: configuration)
        )
    }

    var isUsable: Bool { self.connection.isHealthy }

    func keepAlive() async throws {
        _ = try await self.connection.send("PING")
    }

    func close() async {
        await self.connection.close()
    }
}
