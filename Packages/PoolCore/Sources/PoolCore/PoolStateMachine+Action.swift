extension PoolStateMachine {
    /// Work the shell must carry out after an event, in order.
    @usableFromInline enum Action {
        /// Open one connection, then report ``PoolStateMachine/dialSucceeded(_:reason:at:)`` or
        /// ``PoolStateMachine/dialFailed(_:reason:at:)``.
        case dial(ConnectionDialReason)
        /// Close the connection; the machine has already forgotten it.
        case close(Connection, ConnectionCloseReason)
        /// Run a keep-alive, then report ``PoolStateMachine/keepAliveFinished(_:error:at:)``.
        case keepAlive(Connection, SlotReference)
        /// Call ``PoolStateMachine/timerFired(at:)`` at this time (or later).
        case scheduleTimer(Duration)
        /// Resume a waiting acquire with a lease.
        case succeedWaiter(Waiter, Lease, waited: Duration)
        /// Resume a waiting acquire with an error.
        case failWaiter(Waiter, ConnectionPoolError)
        /// Tell the observer.
        case notify(ConnectionPoolEvent<Connection.ID>)
        /// Every connection is closed: wake whoever awaits the shutdown. Always the last action.
        case shutdownComplete
    }
}

extension PoolStateMachine.Action: Sendable where Waiter: Sendable {}
