/// Opens new connections for a ``ConnectionPool``.
///
/// A dial is never tied to the acquire that caused it: whichever waiter is first in line when the connection
/// arrives gets it, or it goes idle.
///
/// ```swift
/// struct RedisFactory: ConnectionFactory {
///     func makeConnection() async throws -> RedisConnection { try await RedisConnection.connect(to: address) }
/// }
/// ```
public protocol ConnectionFactory<Connection>: Sendable {
    /// The kind of connection this factory opens.
    associatedtype Connection: PooledConnection

    /// Opens one connection, or throws the dial error.
    func makeConnection() async throws -> Connection
}
