/// A connection lent by a ``ConnectionPool``; give it back with ``ConnectionPool/release(_:discard:)``.
///
/// Exclusive pools lend each connection to one lease at a time; multiplexed pools
/// (``ConnectionPoolConfiguration/maximumLeasesPerConnection`` above 1) lend it to several.
///
/// ```swift
/// let lease = try await pool.acquire()
/// defer { pool.release(lease) }
/// try await lease.connection.send(command)
/// ```
public struct ConnectionLease<Connection: PooledConnection>: Sendable {
    /// The leased connection.
    public let connection: Connection
    @usableFromInline let slot: Int
    @usableFromInline let generation: UInt32
    @usableFromInline let stream: Int

    @inlinable init(connection: Connection, slot: Int, generation: UInt32, stream: Int) {
        self.connection = connection
        self.slot = slot
        self.generation = generation
        self.stream = stream
    }
}
