import Synchronization

/// A generic connection pool: a value-type state machine behind a lock, plus ``run()`` which carries out
/// dials, closes, keep-alives and timers in a task group.
///
/// Acquire and release take the lock once each and never hop to an actor; only waiting acquires suspend. Callers
/// that read the pool's clock anyway (to time their requests) pass the readings to ``acquire(at:)`` and
/// ``release(_:at:discard:)``, and the lease cycle reads no clock.
///
/// ```swift
/// let pool = try ConnectionPool(configuration: configuration, factory: RedisFactory(address))
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await pool.run() }
///     let value = try await pool.withConnection { try await $0.send("GET", "key") }
///     await pool.drain()
/// }
/// ```
public final class ConnectionPool<Connection: PooledConnection, PoolClock: Clock>: Sendable
where PoolClock.Duration == Duration {
    @usableFromInline typealias Waiter = CheckedContinuation<ConnectionLease<Connection>, any Error>
    @usableFromInline typealias Machine = PoolStateMachine<Connection, Waiter>

    @usableFromInline let clock: PoolClock
    @usableFromInline let origin: PoolClock.Instant
    @usableFromInline let machine: LockedValue<Machine>
    @usableFromInline let dial: @Sendable () async throws -> Connection
    @usableFromInline let observer: (any ConnectionPoolObserver<Connection.ID>)?
    @usableFromInline let work: AsyncStream<Work>
    @usableFromInline let workContinuation: AsyncStream<Work>.Continuation
    @usableFromInline let waiterIDs = Atomic<UInt64>(0)
    @usableFromInline let shutdown = LockedValue<ShutdownState>(ShutdownState())

    @usableFromInline struct ShutdownState {
        @usableFromInline var isComplete = false
        @usableFromInline var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Creates a pool that opens connections with `dial`. Nothing is dialed until ``run()`` starts.
    public init(
        configuration: ConnectionPoolConfiguration,
        clock: PoolClock,
        observer: (any ConnectionPoolObserver<Connection.ID>)? = nil,
        dial: @escaping @Sendable () async throws -> Connection
    ) throws(ConnectionPoolConfiguration.ValidationError) {
        try configuration.validate()
        self.clock = clock
        self.origin = clock.now
        self.machine = LockedValue(Machine(configuration: configuration))
        self.dial = dial
        self.observer = observer
        (self.work, self.workContinuation) = AsyncStream.makeStream()
    }

    /// Creates a pool that opens connections with `factory`.
    public convenience init<Factory: ConnectionFactory>(
        configuration: ConnectionPoolConfiguration,
        factory: Factory,
        clock: PoolClock,
        observer: (any ConnectionPoolObserver<Connection.ID>)? = nil
    ) throws(ConnectionPoolConfiguration.ValidationError) where Factory.Connection == Connection {
        try self.init(configuration: configuration, clock: clock, observer: observer) {
            try await factory.makeConnection()
        }
    }

    @inlinable var now: Duration { self.origin.duration(to: self.clock.now) }

    // MARK: - Leasing

    /// Lends a connection: a free one at once, or the first to come free within the acquire timeout.
    ///
    /// Throws ``ConnectionPoolError`` or `CancellationError` when the waiting task is cancelled.
    @inlinable public func acquire() async throws -> ConnectionLease<Connection> {
        try await self.acquire(at: self.clock.now)
    }

    /// Lends a connection like ``acquire()``, taking `instant`, a reading of the pool's clock the caller has just
    /// taken, as the time of the acquire (and of the wait, if it must wait), so the pool reads no clock.
    ///
    /// ```swift
    /// let start = ContinuousClock.now
    /// let lease = try await pool.acquire(at: start)
    /// let reply = try await lease.connection.send(command)
    /// pool.release(lease, at: .now)
    /// ```
    @inlinable public func acquire(at instant: PoolClock.Instant) async throws -> ConnectionLease<Connection> {
        let now = self.origin.duration(to: instant)
        switch self.machine.withLock({ $0.acquire(at: now) }) {
        case .leased(let lease, let actions):
            if !actions.isEmpty { self.execute(actions) }
            self.observer?.connectionPool(didEmit: .leaseAcquired(lease.connection.id, waited: .zero))
            return lease
        case .failed(let error, let actions):
            self.execute(actions)
            throw error
        case .mustWait(let actions):
            self.execute(actions)
            return try await self.wait(since: now)
        }
    }

    /// Queues the acquire; `now` is the time its fast path failed, so the wait is measured from there.
    @inlinable func wait(since now: Duration) async throws -> ConnectionLease<Connection> {
        let id = self.waiterIDs.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                switch self.machine.withLock({ $0.enqueue(continuation, id: id, at: now) }) {
                case .leased(let lease, let actions):
                    continuation.resume(returning: lease)
                    self.execute(actions)
                    self.observer?.connectionPool(didEmit: .leaseAcquired(lease.connection.id, waited: .zero))
                case .failed(let error, let actions):
                    continuation.resume(throwing: error)
                    self.execute(actions)
                case .queued(let actions, let depth):
                    self.execute(actions)
                    self.observer?.connectionPool(didEmit: .waiterQueued(depth: depth))
                    if Task.isCancelled { self.cancelWaiter(id: id) }
                }
            }
        } onCancel: {
            self.cancelWaiter(id: id)
        }
    }

    @inlinable func cancelWaiter(id: UInt64) {
        guard let waiter = self.machine.withLock({ $0.cancelWaiter(id: id) }) else { return }
        waiter.resume(throwing: CancellationError())
        self.observer?.connectionPool(didEmit: .acquireCancelled)
    }

    /// Gives a lease back. Pass `discard: true` when the connection is broken: it is closed, not reused.
    /// Releasing the same lease twice, or after a force close, does nothing.
    @inlinable public func release(_ lease: ConnectionLease<Connection>, discard: Bool = false) {
        self.release(lease, at: self.clock.now, discard: discard)
    }

    /// Gives a lease back like ``release(_:discard:)``, taking `instant`, a reading of the pool's clock the caller
    /// has just taken, as the time of the release.
    ///
    /// ```swift
    /// pool.release(lease, at: clock.now)
    /// ```
    @inlinable public func release(
        _ lease: ConnectionLease<Connection>,
        at instant: PoolClock.Instant,
        discard: Bool = false
    ) {
        let now = self.origin.duration(to: instant)
        let (heldFor, actions) = self.machine.withLock { $0.release(lease, at: now, discard: discard) }
        if let heldFor, let observer = self.observer {
            observer.connectionPool(didEmit: .leaseReleased(lease.connection.id, heldFor: heldFor))
        }
        if !actions.isEmpty { self.execute(actions) }
    }

    /// Runs `body` with a leased connection and releases it afterwards; a thrown error does not discard it.
    @inlinable public func withConnection<Result: Sendable>(
        _ body: (Connection) async throws -> Result
    ) async throws -> Result {
        let lease = try await self.acquire()
        defer { self.release(lease) }
        return try await body(lease.connection)
    }

    /// Counters since start and gauges now.
    @inlinable public func stats() -> ConnectionPoolStats {
        self.machine.withLock { $0.stats }
    }

    // MARK: - Shutdown

    /// Refuses new acquires, fails waiters, and returns once every lease is back and every connection closed.
    @inlinable public func drain() async {
        let now = self.now
        self.execute(self.machine.withLock { $0.drain(at: now) })
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isComplete = self.shutdown.withLock { state in
                if !state.isComplete { state.waiters.append(continuation) }
                return state.isComplete
            }
            if isComplete { continuation.resume() }
        }
    }

    /// Closes every connection now, leased or not, and fails every waiter.
    @inlinable public func forceClose() {
        let now = self.now
        self.execute(self.machine.withLock { $0.forceClose(at: now) })
    }
}
