extension PoolStateMachine {
    // MARK: - Dialing

    /// Dials for waiters (up to the hard maximum) and for the minimum idle count (up to the soft maximum),
    /// unless a backoff is pending or the pool fails fast.
    @inlinable mutating func dialIfNeeded(at now: Duration, into actions: inout [Action]) {
        guard self.lifecycle == .running, self.dialRetryDeadline == nil, !self.isFailingFast else { return }
        let configuration = self.configuration
        while true {
            let total = self.liveCount + self.pendingDials
            guard total < configuration.hardMaximumConnections else { return }
            let servedByPendingDials = self.pendingDials * configuration.maximumLeasesPerConnection
            if self.waiters.count > servedByPendingDials {
                self.pendingDials += 1
                actions.append(.dial(.demand))
            } else if self.idleCount + self.keepAliveCount + self.pendingDials < configuration.minimumIdleConnections,
                total < configuration.softMaximumConnections
            {
                self.pendingDials += 1
                actions.append(.dial(.warming))
            } else {
                return
            }
        }
    }

    /// A dial returned a connection: it goes to the first waiter in line (whoever caused the dial), or idles.
    @inlinable mutating func dialSucceeded(
        _ connection: Connection,
        reason: ConnectionDialReason,
        at now: Duration
    ) -> [Action] {
        self.pendingDials -= 1
        var actions: [Action] = []
        self.counters.created += 1
        if self.lifecycle == .draining || self.lifecycle == .closed {
            self.counters.closed[.drain, default: 0] += 1
            actions.append(.close(connection, .drain))
            self.finishDrainIfDone(into: &actions)
            return actions
        }
        if reason == .warming { self.counters.warmed += 1 }
        self.consecutiveDialFailures = 0
        self.lastDialError = nil
        self.dialRetryDeadline = nil
        if self.isFailingFast {
            self.isFailingFast = false
            actions.append(.notify(.failFastRecovered))
        }
        let index = self.freeSlots.popLast() ?? self.appendSlot()
        self.connections[index] = connection
        self.slots[index].activate(
            at: now,
            expiresAt: self.expiry(at: now),
            streams: self.configuration.maximumLeasesPerConnection
        )
        self.liveCount += 1
        self.idleCount += 1
        self.makeAvailable(index)
        actions.append(.notify(.connectionOpened(connection.id)))
        self.serveWaiters(at: now, into: &actions)
        self.dialIfNeeded(at: now, into: &actions)
        return actions
    }

    /// A dial failed: back off, and after too many failures in a row fail every waiter and fail fast while
    /// a single retrier probes.
    @inlinable mutating func dialFailed(_ error: any Error, reason: ConnectionDialReason, at now: Duration) -> [Action]
    {
        self.pendingDials -= 1
        var actions: [Action] = []
        if self.lifecycle == .draining || self.lifecycle == .closed {
            self.finishDrainIfDone(into: &actions)
            return actions
        }
        self.counters.dialFailures += 1
        self.consecutiveDialFailures += 1
        self.lastDialError = error
        actions.append(.notify(.dialFailed(error, consecutiveFailures: self.consecutiveDialFailures)))
        let threshold = self.configuration.failFastAfterDialFailures
        if !self.isFailingFast, threshold > 0, self.consecutiveDialFailures >= threshold {
            self.isFailingFast = true
            actions.append(.notify(.failFastStarted(consecutiveFailures: self.consecutiveDialFailures)))
            self.failAllWaiters(with: .dialFailed(error), into: &actions)
        }
        // Every dial after a failure waits out the backoff, even one that later demand asks for.
        if self.dialRetryDeadline == nil {
            let retry = now + self.backoff(afterFailures: self.consecutiveDialFailures)
            self.dialRetryDeadline = retry
            self.scheduleTimer(at: retry, into: &actions)
        }
        return actions
    }

    /// `initial * 2^(failures-1)`, capped, minus a random share of up to `dialBackoffJitter`.
    @inlinable mutating func backoff(afterFailures failures: Int) -> Duration {
        let initial = self.configuration.dialBackoffInitial.saturatingNanoseconds
        let maximum = self.configuration.dialBackoffMaximum.saturatingNanoseconds
        let doublings = Int64(min(max(failures - 1, 0), 62))
        let (scaled, overflow) = initial.multipliedReportingOverflow(by: Int64(1) << doublings)
        let delay = overflow ? maximum : min(scaled, maximum)
        let jitterRange = Int64(Double(delay) * self.configuration.dialBackoffJitter)
        let jitter = jitterRange > 0 ? Int64.random(in: 0...jitterRange, using: &self.random) : 0
        return .nanoseconds(delay - jitter)
    }

    @inlinable mutating func expiry(at now: Duration) -> Duration? {
        guard let lifetime = self.configuration.maximumLifetime else { return nil }
        let jitterRange = self.configuration.lifetimeJitter.saturatingNanoseconds
        let jitter = jitterRange > 0 ? Int64.random(in: 0...jitterRange, using: &self.random) : 0
        return now + lifetime - .nanoseconds(jitter)
    }

    @inlinable mutating func appendSlot() -> Int {
        self.slots.append(ConnectionSlot())
        self.connections.append(nil)
        return self.slots.count - 1
    }
}
