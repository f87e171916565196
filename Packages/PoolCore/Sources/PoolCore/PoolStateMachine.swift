/// The pool's whole state as a value: every event is a `mutating` function that returns the actions the shell
/// must run (dial, close, keep-alive, timer, complete a waiter, notify). Time is a `Duration` since the pool
/// started, so the machine is tested without any clock.
///
/// `Waiter` is whatever the shell needs to wake an acquire, such as a continuation. Internal, but usable from
/// inlinable code, so that callers get the acquire/release path specialised for their types.
@usableFromInline struct PoolStateMachine<Connection: PooledConnection, Waiter> {
    @usableFromInline typealias Lease = ConnectionLease<Connection>

    @usableFromInline enum Lifecycle: Equatable, Sendable {
        case created
        case running
        case draining
        case closed
    }

    @usableFromInline let configuration: ConnectionPoolConfiguration
    @usableFromInline var lifecycle: Lifecycle = .created
    @usableFromInline var connections: [Connection?] = []
    @usableFromInline var slots: [ConnectionSlot] = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var available = RingBuffer<Int>()
    @usableFromInline var waiters = WaiterQueue<Waiter>()
    @usableFromInline var liveCount = 0
    @usableFromInline var idleCount = 0
    @usableFromInline var inUseCount = 0
    @usableFromInline var keepAliveCount = 0
    @usableFromInline var leaseCount = 0
    @usableFromInline var pendingDials = 0
    @usableFromInline var consecutiveDialFailures = 0
    @usableFromInline var lastDialError: (any Error)? = nil
    @usableFromInline var isFailingFast = false
    @usableFromInline var dialRetryDeadline: Duration? = nil
    @usableFromInline var nextHousekeeping: Duration? = nil
    @usableFromInline var scheduledTimer: Duration? = nil
    @usableFromInline var random: SplitMix64
    @usableFromInline var counters = ConnectionPoolStats()

    @usableFromInline init(configuration: ConnectionPoolConfiguration) {
        self.configuration = configuration
        self.random = SplitMix64(seed: configuration.randomSeed)
    }

    @inlinable var stats: ConnectionPoolStats {
        var snapshot = self.counters
        snapshot.idle = self.idleCount + self.keepAliveCount
        snapshot.inUse = self.inUseCount
        snapshot.leases = self.leaseCount
        snapshot.pending = self.pendingDials
        snapshot.waiting = self.waiters.count
        return snapshot
    }

    // MARK: - Start and acquire

    /// Starts warming and housekeeping.
    @inlinable mutating func start(at now: Duration) -> [Action] {
        guard self.lifecycle == .created else { return [] }
        self.lifecycle = .running
        var actions: [Action] = []
        let housekeeping = now + self.configuration.housekeepingInterval
        self.nextHousekeeping = housekeeping
        self.dialIfNeeded(at: now, into: &actions)
        self.scheduleTimer(at: housekeeping, into: &actions)
        return actions
    }

    @usableFromInline enum AcquireResult {
        case leased(Lease, [Action])
        case failed(ConnectionPoolError, [Action])
        case mustWait([Action])
    }

    /// The fast path: lends a free connection if there is one, without queueing.
    @inlinable mutating func acquire(at now: Duration) -> AcquireResult {
        var actions: [Action] = []
        switch self.lifecycle {
        case .draining, .closed: return .failed(.poolShutdown, actions)
        case .created, .running: break
        }
        if let (lease, _) = self.takeAvailable(at: now, into: &actions) {
            self.counters.hits += 1
            self.dialIfNeeded(at: now, into: &actions)
            return .leased(lease, actions)
        }
        if self.isFailingFast, let error = self.lastDialError {
            self.dialIfNeeded(at: now, into: &actions)
            return .failed(.dialFailed(error), actions)
        }
        return .mustWait(actions)
    }

    @usableFromInline enum EnqueueResult {
        case leased(Lease, [Action])
        case failed(ConnectionPoolError, [Action])
        case queued([Action], depth: Int)
    }

    /// The slow path: retries the fast path, then queues `waiter` with the acquire timeout.
    @inlinable mutating func enqueue(_ waiter: Waiter, id: UInt64, at now: Duration) -> EnqueueResult {
        switch self.acquire(at: now) {
        case .leased(let lease, let actions): return .leased(lease, actions)
        case .failed(let error, let actions): return .failed(error, actions)
        case .mustWait(var actions):
            guard self.waiters.count < self.configuration.maximumWaiters else {
                return .failed(.waitQueueFull, actions)
            }
            let deadline = now + self.configuration.acquireTimeout
            self.waiters.append(id: id, .init(waiter: waiter, enqueuedAt: now, deadline: deadline))
            self.counters.waitCount += 1
            self.dialIfNeeded(at: now, into: &actions)
            self.scheduleTimer(at: deadline, into: &actions)
            return .queued(actions, depth: self.waiters.count)
        }
    }

    /// Removes a waiting acquire in O(1); returns its waiter, or `nil` when it was already served or failed.
    @inlinable mutating func cancelWaiter(id: UInt64) -> Waiter? {
        guard let entry = self.waiters.remove(id: id) else { return nil }
        self.counters.cancellations += 1
        return entry.waiter
    }

    // MARK: - Release

    /// Takes a lease back. Returns how long it was held (`nil` for an unknown or repeated release).
    @inlinable mutating func release(_ lease: Lease, at now: Duration, discard: Bool = false) -> (Duration?, [Action]) {
        let index = lease.slot
        guard index < self.slots.count, self.slots[index].generation == lease.generation,
            self.slots[index].phase == .active, let start = self.slots[index].leaseStarts[lease.stream]
        else { return (nil, []) }
        var actions: [Action] = []
        self.slots[index].leaseStarts[lease.stream] = nil
        self.slots[index].freeStreams.append(lease.stream)
        self.slots[index].leaseCount -= 1
        self.slots[index].lastActivity = now
        self.leaseCount -= 1
        let heldFor = now - start

        if discard {
            if self.slots[index].leaseCount == 0 {
                self.inUseCount -= 1
                self.idleCount += 1
            }
            self.close(index, reason: .error, into: &actions)
            self.dialIfNeeded(at: now, into: &actions)
            return (heldFor, actions)
        }
        if self.slots[index].leaseCount > 0 {
            if self.lifecycle == .running, !self.slots[index].isRetiring, !self.slots[index].isAvailable {
                self.makeAvailable(index)
                self.serveWaiters(at: now, into: &actions)
            }
            return (heldFor, actions)
        }
        // Without leases the connection counts as idle; closing it below undoes that.
        self.inUseCount -= 1
        self.idleCount += 1
        if self.lifecycle == .draining || self.lifecycle == .closed {
            self.close(index, reason: .drain, into: &actions)
            self.finishDrainIfDone(into: &actions)
            return (heldFor, actions)
        }
        if self.slots[index].isRetiring || self.isExpired(index, at: now) {
            self.close(index, reason: .lifetime, into: &actions)
            self.dialIfNeeded(at: now, into: &actions)
            return (heldFor, actions)
        }
        self.slots[index].idleSince = now
        if self.waiters.isEmpty {
            let overSoftMaximum = self.liveCount > self.configuration.softMaximumConnections
            let overIdleMaximum = self.configuration.maximumIdleConnections.map { self.idleCount > $0 } ?? false
            if overSoftMaximum || overIdleMaximum {
                self.close(index, reason: .idle, into: &actions)
                return (heldFor, actions)
            }
        }
        if !self.slots[index].isAvailable { self.makeAvailable(index) }
        if !self.waiters.isEmpty { self.serveWaiters(at: now, into: &actions) }
        return (heldFor, actions)
    }

    // MARK: - Leasing

    /// Leases the first usable connection in idle order, closing stale ones on the way (cheapest check first).
    /// Returns the lease and whether the connection had never been leased.
    @inlinable mutating func takeAvailable(at now: Duration, into actions: inout [Action]) -> (Lease, Bool)? {
        let lifo = self.configuration.idleOrder == .lifo
        while let index = lifo ? self.available.last : self.available.first {
            if self.slots[index].leaseCount == 0 {
                if let reason = self.staleReason(index, at: now) {
                    self.dropPeeked(lifo: lifo)
                    self.close(index, reason: reason, into: &actions)
                    continue
                }
            } else if self.isExpired(index, at: now) {
                self.dropPeeked(lifo: lifo)
                self.slots[index].isRetiring = true
                continue
            }
            let wasFresh = self.slots[index].isFresh
            let lease = self.leaseStream(of: index, at: now)
            if !self.slots[index].hasSpareStream { self.dropPeeked(lifo: lifo) }
            return (lease, wasFresh)
        }
        return nil
    }

    @inlinable func staleReason(_ index: Int, at now: Duration) -> ConnectionCloseReason? {
        if self.isExpired(index, at: now) { return .lifetime }
        if let idleTimeout = self.configuration.idleTimeout, now - self.slots[index].idleSince >= idleTimeout {
            return .idle
        }
        if !self.connections[index]!.isUsable { return .validation }
        return nil
    }

    @inlinable func isExpired(_ index: Int, at now: Duration) -> Bool {
        guard let expiresAt = self.slots[index].expiresAt else { return false }
        return now >= expiresAt
    }

    @inlinable mutating func dropPeeked(lifo: Bool) {
        let index = lifo ? self.available.popLast()! : self.available.popFirst()!
        self.slots[index].isAvailable = false
    }

    @inlinable mutating func leaseStream(of index: Int, at now: Duration) -> Lease {
        let stream = self.slots[index].freeStreams.removeLast()
        self.slots[index].leaseStarts[stream] = now
        self.slots[index].leakReported[stream] = false
        self.slots[index].isFresh = false
        if self.slots[index].leaseCount == 0 {
            self.idleCount -= 1
            self.inUseCount += 1
        }
        self.slots[index].leaseCount += 1
        self.leaseCount += 1
        return Lease(
            connection: self.connections[index]!,
            slot: index,
            generation: self.slots[index].generation,
            stream: stream
        )
    }

    @inlinable mutating func makeAvailable(_ index: Int) {
        self.slots[index].isAvailable = true
        self.available.append(index)
    }

    /// Hands free connections to waiters in FIFO order.
    @inlinable mutating func serveWaiters(at now: Duration, into actions: inout [Action]) {
        while !self.waiters.isEmpty, let (lease, wasFresh) = self.takeAvailable(at: now, into: &actions) {
            let entry = self.waiters.popFirst()!
            let waited = now - entry.enqueuedAt
            if wasFresh { self.counters.misses += 1 } else { self.counters.hits += 1 }
            self.counters.waitDuration += waited
            actions.append(.succeedWaiter(entry.waiter, lease, waited: waited))
        }
    }

    // MARK: - Closing

    @inlinable mutating func close(_ index: Int, reason: ConnectionCloseReason, into actions: inout [Action]) {
        guard let connection = self.connections[index] else { return }
        self.connections[index] = nil
        if self.slots[index].isAvailable { self.available.removeAll { $0 == index } }
        switch self.slots[index].phase {
        case .active where self.slots[index].leaseCount == 0: self.idleCount -= 1
        case .active:
            self.inUseCount -= 1
            self.leaseCount -= self.slots[index].leaseCount
        case .keepAlive: self.keepAliveCount -= 1
        case .empty: break
        }
        self.slots[index].phase = .empty
        self.slots[index].isAvailable = false
        self.slots[index].leaseCount = 0
        self.slots[index].generation &+= 1
        self.freeSlots.append(index)
        self.liveCount -= 1
        self.counters.closed[reason, default: 0] += 1
        actions.append(.close(connection, reason))
    }

    @inlinable mutating func failAllWaiters(with error: ConnectionPoolError, into actions: inout [Action]) {
        for entry in self.waiters.removeAll() {
            actions.append(.failWaiter(entry.waiter, error))
        }
    }

    // MARK: - Timers

    @inlinable mutating func scheduleTimer(at deadline: Duration, into actions: inout [Action]) {
        if let scheduled = self.scheduledTimer, scheduled <= deadline { return }
        self.scheduledTimer = deadline
        actions.append(.scheduleTimer(deadline))
    }

    /// Runs everything due at `now`: acquire timeouts, the dial retry and housekeeping; then schedules the
    /// next timer. Stale timers are harmless: they find nothing due.
    @inlinable mutating func timerFired(at now: Duration) -> [Action] {
        if let scheduled = self.scheduledTimer, scheduled <= now { self.scheduledTimer = nil }
        guard self.lifecycle != .closed else { return [] }
        var actions: [Action] = []
        while let deadline = self.waiters.firstDeadline(), deadline <= now {
            let entry = self.waiters.popFirst()!
            self.counters.timeouts += 1
            actions.append(.failWaiter(entry.waiter, .acquireTimeout))
            actions.append(.notify(.acquireTimedOut(waited: now - entry.enqueuedAt)))
        }
        if let retry = self.dialRetryDeadline, retry <= now {
            self.dialRetryDeadline = nil
            if self.isFailingFast {
                if self.pendingDials == 0 {
                    self.pendingDials += 1
                    actions.append(.dial(.retry))
                }
            } else {
                self.dialIfNeeded(at: now, into: &actions)
            }
        }
        if let housekeeping = self.nextHousekeeping, housekeeping <= now {
            self.runHousekeeping(at: now, into: &actions)
        }
        let next = [self.nextHousekeeping, self.waiters.firstDeadline(), self.dialRetryDeadline]
            .compactMap { $0 }.min()
        if let next { self.scheduleTimer(at: next, into: &actions) }
        return actions
    }
}

extension PoolStateMachine: Sendable where Waiter: Sendable {}
extension PoolStateMachine.AcquireResult: Sendable where Waiter: Sendable {}
extension PoolStateMachine.EnqueueResult: Sendable where Waiter: Sendable {}
