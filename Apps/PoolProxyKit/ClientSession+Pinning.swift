import NIOCore
import PoolCore
import RESPCodec

/// Clients whose commands change connection state get a dedicated backend connection, as pgbouncer's session
/// mode does, so that no state leaks to the clients sharing the multiplexed connections.
///
/// - MULTI/EXEC, WATCH and blocking commands hold the connection until their replies are in; it then goes back
///   to the pool, clean.
/// - SELECT, HELLO, AUTH, CLIENT SETNAME and friends, SUBSCRIBE and MONITOR make it the client's for good
///   ("sticky"); it is closed when the client leaves, never lent again.
///
/// Switching is ordered: the client's earlier requests finish on the multiplexed connection before the first one
/// goes to the dedicated connection.
extension ClientSession {
    /// Starts moving to a dedicated connection to `server`, once earlier replies are in. Always returns false:
    /// the request waits in ``deferred`` until the connection arrives.
    func pin(server: Int) -> Bool {
        guard self.slots.isEmpty else { return false }
        self.mode = .acquiring(server: server)
        let backend = self.loopPool.servers[server]
        let pool = backend.dedicatedPool(protocolVersion: self.protocolVersion)
        let eventLoop = backend.eventLoop
        let session = NIOLoopBound(self, eventLoop: eventLoop)
        self.loopPool.runtime.spawn {
            do {
                let lease = try await pool.acquire()
                eventLoop.execute { session.value.pinAcquired(lease, server: server, pool: pool) }
            } catch {
                eventLoop.execute { session.value.pinFailed(error, server: server) }
            }
        }
        return false
    }

    private func pinAcquired(
        _ lease: ConnectionLease<DedicatedConnection>,
        server: Int,
        pool: ConnectionPool<DedicatedConnection, ContinuousClock>
    ) {
        guard case .open = self.lifecycle, case .acquiring = self.mode else {
            pool.release(lease)
            if case .acquiring = self.mode {
                self.mode = .multiplexed
                // A session that began closing while it waited (a protocol error, a drain) can close now.
                self.becameIdle()
            }
            return
        }
        let connection = lease.connection.handler.value
        guard !connection.isClosed else {
            pool.release(lease, discard: true)
            self.pinFailed(SocketIOClosed(), server: server)
            return
        }
        connection.pinnedSession = self
        let pin = PinnedConnection(server: server, lease: lease, connection: connection, pool: pool)
        self.mode = .pinned(pin)
        if self.startsClusterTransaction {
            // The client already has its +OK for this MULTI.
            self.startsClusterTransaction = false
            pin.inTransaction = true
            pin.outstanding += 1
            pin.sent += 1
            pin.swallowedReplies += 1
            connection.sendPinned(ProxyReply.multiCommand)
        }
        self.loopPool.tally.counts.pinnedClients &+= 1
        self.resumeDeferred()
        self.loopPool.flusher.flushAll()
    }

    private func pinFailed(_ error: any Error, server: Int) {
        self.mode = .multiplexed
        self.startsClusterTransaction = false
        guard case .open = self.lifecycle, let request = self.deferred.popFirst() else {
            self.becameIdle()
            return
        }
        _ = request
        let name = self.loopPool.runtime.serverNames[server]
        let pool = self.loopPool.runtime.configuration.name
        self.loopPool.tally.counts.forwardErrors &+= 1
        self.replyLocally(
            ProxyReply.proxyError("backend \(name) in pool '\(pool)' is unavailable: no dedicated connection: \(error)")
        )
        self.resumeDeferred()
        self.loopPool.flusher.flushAll()
    }

    func dispatchPinned(_ request: RESPToken, command: RESPCommandSpec?, pin: PinnedConnection) -> Bool {
        let holdsState = pin.sticky || pin.inTransaction || pin.watching
        if self.loopPool.isSharded && !holdsState && pin.sent > 0 {
            // A sharded client is pinned only while a blocking command runs; what follows may go elsewhere.
            guard pin.outstanding == 0 else { return false }
            self.unpin(discard: false)
            return self.dispatch(request)
        }
        if let command {
            switch command.name {
            case "multi": pin.inTransaction = true
            case "exec", "discard":
                pin.inTransaction = false
                pin.watching = false
            case "watch": if !pin.inTransaction { pin.watching = true }
            case "unwatch": pin.watching = false
            default: break
            }
            if !command.traits.isDisjoint(with: [.sessionState, .subscription, .monitor]) { pin.sticky = true }
        } else {
            // An unknown command may be a module's, with effects the proxy cannot know.
            pin.sticky = true
        }
        pin.outstanding += 1
        pin.sent += 1
        pin.connection.sendPinned(request.base)
        return true
    }

    /// A reply, or a push, from the dedicated connection.
    func receivePinned(_ token: RESPToken) {
        guard case .pinned(let pin) = self.mode else { return }
        if pin.outstanding > 0 { pin.outstanding -= 1 }
        if pin.swallowedReplies > 0 {
            pin.swallowedReplies -= 1
        } else {
            self.write(token.base)
        }
        if pin.isReleasable {
            self.unpin(discard: false)
        }
        if pin.outstanding == 0 { self.becameIdle() }
    }

    /// The dedicated connection failed: outstanding requests get the error; a client whose state lived on that
    /// connection is disconnected, since the proxy cannot rebuild it.
    func pinnedConnectionFailed(_ reply: ByteBuffer) {
        guard case .pinned(let pin) = self.mode else { return }
        for _ in 0..<pin.outstanding { self.write(reply) }
        let heldState = pin.sticky || pin.inTransaction || pin.watching
        pin.outstanding = 0
        self.unpin(discard: true)
        if heldState {
            self.lifecycle = .closingAfterReplies
            self.closeAfterFlush()
        } else {
            self.becameIdle()
        }
    }

    func unpin(discard: Bool) {
        guard case .pinned(let pin) = self.mode else { return }
        pin.connection.pinnedSession = nil
        self.mode = .multiplexed
        self.loopPool.tally.counts.pinnedClients &-= 1
        pin.pool.release(pin.lease, discard: discard || !pin.isReleasable)
    }

    func releasePinOnClose() {
        guard case .pinned(let pin) = self.mode else { return }
        self.unpin(discard: !pin.isReleasable)
    }
}

/// The dedicated connection closed before it could be used.
struct SocketIOClosed: Error, CustomStringConvertible {
    var description: String { "the connection closed" }
}
