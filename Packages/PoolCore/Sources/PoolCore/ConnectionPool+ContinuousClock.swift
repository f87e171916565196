extension ConnectionPool where PoolClock == ContinuousClock {
    /// Creates a pool on the continuous clock that opens connections with `factory`.
    public convenience init<Factory: ConnectionFactory>(
        configuration: ConnectionPoolConfiguration,
        factory: Factory,
        observer: (any ConnectionPoolObserver<Connection.ID>)? = nil
    ) throws(ConnectionPoolConfiguration.ValidationError) where Factory.Connection == Connection {
        try self.init(configuration: configuration, factory: factory, clock: ContinuousClock(), observer: observer)
    }

    /// Creates a pool on the continuous clock that opens connections with `dial`.
    public convenience init(
        configuration: ConnectionPoolConfiguration,
        observer: (any ConnectionPoolObserver<Connection.ID>)? = nil,
        dial: @escaping @Sendable () async throws -> Connection
    ) throws(ConnectionPoolConfiguration.ValidationError) {
        try self.init(configuration: configuration, clock: ContinuousClock(), observer: observer, dial: dial)
    }
}
