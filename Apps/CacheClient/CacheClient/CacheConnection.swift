import NIOCore
import PoolCore
import RESPCodec
import SocketIO

/// A SocketIO ``RESPConnection`` lent out by a node's ``ConnectionPool``; it is PINGed once before the pool gets
/// it, so every pooled (and so every warmed) connection has answered a round trip.
struct CacheConnection: PooledConnection {
    let id: Int
    let connection: RESPConnection

    static func connect(
        to endpoint: SocketEndpoint,
        configuration: RESPConnectionConfiguration,
        id: Int
    ) async throws -> CacheConnection {
        let connection = try await RESPConnection.connect(to: endpoint, configuration: configuration)
        do {
            try Self.verifyPong(try await connection.send("PING"))
        } catch {
            await connection.close()
            throw error
        }
        return CacheConnection(id: id, connection: connection)
    }

    /// Accepts `+PONG` (RESP2 and RESP3); anything else, such as `-NOAUTH` or `-LOADING`, is a failed check.
    static func verifyPong(_ reply: RESPValue) throws {
        guard case .simpleString = reply else {
            throw SocketIOError(.handshakeRejected, "PING answered \(reply)")
        }
    }

    var isUsable: Bool { self.connection.isHealthy }

    func keepAlive() async throws {
        try Self.verifyPong(try await self.connection.send("PING"))
    }

    func close() async {
        await self.connection.close()
    }
}
