extension ConnectionPool {
    /// Asynchronous work handed from the locked state machine to ``ConnectionPool/run()``.
    @usableFromInline enum Work: Sendable {
        case dial(ConnectionDialReason)
        case close(Connection)
        case keepAlive(Connection, SlotReference)
        case timer(Duration)
    }
}
