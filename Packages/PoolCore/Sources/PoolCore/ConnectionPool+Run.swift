import Synchronization

extension ConnectionPool {
    // MARK: - Running

    /// Warms the pool and runs its dials, closes, keep-alives and timers until the pool is drained or
    /// force-closed. Cancelling the task that runs it force-closes the pool. Call it once.
    public func run() async {
        let now = self.now
        self.execute(self.machine.withLock { $0.start(at: now) })
        await withDiscardingTaskGroup { group in
            for await work in self.work {
                switch work {
                case .dial(let reason):
                    group.addTask { await self.runDial(reason) }
                case .close(let connection):
                    group.addTask { await connection.close() }
                case .keepAlive(let connection, let reference):
                    group.addTask { await self.runKeepAlive(connection, reference) }
                case .timer(let deadline):
                    group.addTask {
                        do {
                            try await self.clock.sleep(until: self.origin.advanced(by: deadline), tolerance: nil)
                        } catch {
                            return
                        }
                        let now = self.now
                        self.execute(self.machine.withLock { $0.timerFired(at: now) })
                    }
                }
            }
            group.cancelAll()
        }
        self.forceClose()
    }

    func runDial(_ reason: ConnectionDialReason) async {
        let actions: [Machine.Action]
        do {
            let connection = try await self.dial()
            let now = self.now
            actions = self.machine.withLock { $0.dialSucceeded(connection, reason: reason, at: now) }
        } catch {
            let now = self.now
            actions = self.machine.withLock { $0.dialFailed(error, reason: reason, at: now) }
        }
        self.execute(actions)
    }

    func runKeepAlive(_ connection: Connection, _ reference: SlotReference) async {
        var failure: (any Error)? = nil
        do { try await connection.keepAlive() } catch { failure = error }
        let now = self.now
        self.execute(self.machine.withLock { $0.keepAliveFinished(reference, error: failure, at: now) })
    }

    // MARK: - Executing actions

    @inlinable func execute(_ actions: [Machine.Action]) {
        for action in actions {
            switch action {
            case .dial(let reason):
                self.emit(.dialStarted(reason))
                self.submit(.dial(reason))
            case .close(let connection, let reason):
                self.emit(.connectionClosed(connection.id, reason))
                self.submit(.close(connection))
            case .keepAlive(let connection, let reference):
                self.emit(.keepAliveStarted(connection.id))
                self.submit(.keepAlive(connection, reference))
            case .scheduleTimer(let deadline):
                self.submit(.timer(deadline))
            case .succeedWaiter(let waiter, let lease, let waited):
                waiter.resume(returning: lease)
                self.emit(.leaseAcquired(lease.connection.id, waited: waited))
            case .failWaiter(let waiter, let error):
                waiter.resume(throwing: error)
            case .notify(let event):
                self.emit(event)
            case .shutdownComplete:
                let waiters = self.shutdown.withLock { state in
                    state.isComplete = true
                    defer { state.waiters = [] }
                    return state.waiters
                }
                self.workContinuation.finish()
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    @inlinable func emit(_ event: ConnectionPoolEvent<Connection.ID>) {
        self.observer?.connectionPool(didEmit: event)
    }

    /// Once ``run()`` has ended, closes still happen (a late dial must not leak) but nothing else does.
    @inlinable func submit(_ work: Work) {
        if case .terminated = self.workContinuation.yield(work), case .close(let connection) = work {
            Task { await connection.close() }
        }
    }
}
