extension PoolStateMachine {
    // MARK: - Shutdown

    /// Graceful drain: refuses new acquires, fails waiters, closes idle connections now and leased ones as
    /// their leases come back.
    @inlinable mutating func drain(at now: Duration) -> [Action] {
        guard self.lifecycle == .running || self.lifecycle == .created else { return [] }
        self.lifecycle = .draining
        var actions: [Action] = [.notify(.drainStarted)]
        self.failAllWaiters(with: .poolShutdown, into: &actions)
        self.dialRetryDeadline = nil
        for index in self.slots.indices where self.slots[index].phase == .active {
            if self.slots[index].leaseCount == 0 {
                self.close(index, reason: .drain, into: &actions)
            } else if self.slots[index].isAvailable {
                self.slots[index].isAvailable = false
            }
        }
        self.available = RingBuffer()
        self.finishDrainIfDone(into: &actions)
        return actions
    }

    /// Force close: fails waiters and closes every connection, leased or not. Later releases are ignored.
    @inlinable mutating func forceClose(at now: Duration) -> [Action] {
        guard self.lifecycle != .closed else { return [] }
        self.lifecycle = .closed
        var actions: [Action] = []
        self.failAllWaiters(with: .poolShutdown, into: &actions)
        for index in self.slots.indices where self.slots[index].phase != .empty {
            self.close(index, reason: .drain, into: &actions)
        }
        self.available = RingBuffer()
        self.dialRetryDeadline = nil
        self.nextHousekeeping = nil
        actions.append(.notify(.poolClosed))
        actions.append(.shutdownComplete)
        return actions
    }

    @inlinable mutating func finishDrainIfDone(into actions: inout [Action]) {
        guard self.lifecycle == .draining, self.liveCount == 0, self.pendingDials == 0 else { return }
        self.lifecycle = .closed
        self.nextHousekeeping = nil
        actions.append(.notify(.poolClosed))
        actions.append(.shutdownComplete)
    }
}
