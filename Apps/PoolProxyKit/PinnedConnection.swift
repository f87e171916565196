import PoolCore

/// A dedicated backend connection lent to one client, and what the client did to its state.
final class PinnedConnection {
    let server: Int
    let lease: ConnectionLease<DedicatedConnection>
    let connection: BackendConnection
    /// The pool the connection goes back to.
    let pool: ConnectionPool<DedicatedConnection, ContinuousClock>
    /// Requests sent whose replies have not arrived.
    var outstanding = 0
    /// Requests sent on this connection so far.
    var sent = 0
    var inTransaction = false
    var watching = false
    /// The client changed the connection for good (SELECT, HELLO, AUTH, CLIENT SETNAME, SUBSCRIBE, MONITOR...):
    /// it keeps the connection until it leaves, and the connection is closed then, never lent again.
    var sticky = false
    /// Replies the client must not see: the `MULTI` a cluster pool sends late, after answering it itself.
    var swallowedReplies = 0

    init(
        server: Int,
        lease: ConnectionLease<DedicatedConnection>,
        connection: BackendConnection,
        pool: ConnectionPool<DedicatedConnection, ContinuousClock>
    ) {
        self.server = server
        self.lease = lease
        self.connection = connection
        self.pool = pool
    }

    /// Whether the connection may go back to the pool now.
    var isReleasable: Bool {
        self.outstanding == 0 && !self.sticky && !self.inTransaction && !self.watching
    }
}
