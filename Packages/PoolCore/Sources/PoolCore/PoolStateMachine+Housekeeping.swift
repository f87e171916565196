extension PoolStateMachine {
    // MARK: - Housekeeping

    /// Closes expired and long-idle connections, starts keep-alives, retires expired busy connections and
    /// reports leases held past the leak threshold.
    @inlinable mutating func runHousekeeping(at now: Duration, into actions: inout [Action]) {
        self.nextHousekeeping = now + self.configuration.housekeepingInterval
        for index in self.slots.indices where self.slots[index].phase == .active {
            if self.slots[index].leaseCount == 0 {
                self.housekeepIdle(index, at: now, into: &actions)
            } else {
                self.housekeepLeased(index, at: now, into: &actions)
            }
        }
        self.dialIfNeeded(at: now, into: &actions)
    }

    @inlinable mutating func housekeepIdle(_ index: Int, at now: Duration, into actions: inout [Action]) {
        guard self.lifecycle == .running else { return }
        if self.isExpired(index, at: now) {
            self.close(index, reason: .lifetime, into: &actions)
            return
        }
        if let idleTimeout = self.configuration.idleTimeout, now - self.slots[index].idleSince >= idleTimeout,
            self.liveCount > self.configuration.minimumIdleConnections
        {
            self.close(index, reason: .idle, into: &actions)
            return
        }
        if let interval = self.configuration.keepAliveInterval, now - self.slots[index].lastActivity >= interval {
            if self.slots[index].isAvailable {
                self.slots[index].isAvailable = false
                self.available.removeAll { $0 == index }
            }
            self.slots[index].phase = .keepAlive
            self.idleCount -= 1
            self.keepAliveCount += 1
            let reference = SlotReference(index: index, generation: self.slots[index].generation)
            actions.append(.keepAlive(self.connections[index]!, reference))
        }
    }

    @inlinable mutating func housekeepLeased(_ index: Int, at now: Duration, into actions: inout [Action]) {
        if self.isExpired(index, at: now), !self.slots[index].isRetiring {
            self.slots[index].isRetiring = true
            if self.slots[index].isAvailable {
                self.slots[index].isAvailable = false
                self.available.removeAll { $0 == index }
            }
        }
        guard let threshold = self.configuration.leakWarningThreshold else { return }
        let connectionID = self.connections[index]!.id
        for stream in self.slots[index].leaseStarts.indices {
            guard let start = self.slots[index].leaseStarts[stream], !self.slots[index].leakReported[stream]
            else { continue }
            let age = now - start
            if age >= threshold {
                self.slots[index].leakReported[stream] = true
                actions.append(.notify(.leakSuspected(connectionID, age: age)))
            }
        }
    }

    /// A keep-alive round trip finished; a failure closes the connection.
    @inlinable mutating func keepAliveFinished(
        _ reference: SlotReference,
        error: (any Error)?,
        at now: Duration
    ) -> [Action] {
        let index = reference.index
        guard index < self.slots.count, self.slots[index].generation == reference.generation,
            self.slots[index].phase == .keepAlive
        else { return [] }
        var actions: [Action] = []
        if let error {
            actions.append(.notify(.keepAliveFailed(self.connections[index]!.id, error)))
            self.close(index, reason: .error, into: &actions)
            self.dialIfNeeded(at: now, into: &actions)
            return actions
        }
        if self.lifecycle != .running {
            self.close(index, reason: .drain, into: &actions)
            self.finishDrainIfDone(into: &actions)
            return actions
        }
        self.slots[index].phase = .active
        self.slots[index].lastActivity = now
        self.keepAliveCount -= 1
        self.idleCount += 1
        actions.append(.notify(.keepAliveSucceeded(self.connections[index]!.id)))
        self.makeAvailable(index)
        self.serveWaiters(at: now, into: &actions)
        return actions
    }
}
