/// A connection that a ``ConnectionPool`` can lend out.
///
/// Only ``id`` and ``close()`` are required. ``isUsable`` must be cheap and local (no round trip): the pool
/// calls it on every borrow of an idle connection. ``keepAlive()`` runs on idle connections when
/// ``ConnectionPoolConfiguration/keepAliveInterval`` is set.
///
/// ```swift
/// final class RedisConnection: PooledConnection {
///     let id: Int
///     var isUsable: Bool { !channelClosed }
///     func keepAlive() async throws { _ = try await send("PING") }
///     func close() async { await channel.close() }
/// }
/// ```
public protocol PooledConnection: Sendable {
    /// A stable identifier, used in events and logs.
    associatedtype ID: Hashable & Sendable

    /// The connection's identifier.
    var id: ID { get }

    /// Whether the connection still looks healthy, judged without any I/O.
    var isUsable: Bool { get }

    /// A cheap round trip that keeps an idle connection alive; throwing closes the connection.
    func keepAlive() async throws

    /// Closes the connection. The pool never uses it again.
    func close() async
}

extension PooledConnection {
    /// Connections that cannot tell are assumed usable.
    public var isUsable: Bool { true }

    /// Connections without a keep-alive round trip do nothing.
    public func keepAlive() async throws {}
}
