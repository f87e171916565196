import PoolCoreTestKit
import Testing

@testable import PoolCore

typealias TestMachine = PoolStateMachine<MockConnection, Int>

/// The defaults with every time-based feature off and small maximums; tests switch on what they exercise.
func testConfiguration(_ edit: (inout ConnectionPoolConfiguration) -> Void = { _ in }) -> ConnectionPoolConfiguration {
    .forTesting(edit)
}

/// A started machine whose `count` warming dials all succeeded, with minimum idle and soft maximum at `count`.
func warmedMachine(
    _ count: Int,
    _ edit: (inout ConnectionPoolConfiguration) -> Void = { _ in }
) -> (TestMachine, [MockConnection]) {
    var machine = TestMachine(
        configuration: testConfiguration {
            $0.minimumIdleConnections = count
            $0.softMaximumConnections = count
            $0.hardMaximumConnections = max(count, 1)
            edit(&$0)
        }
    )
    let dials = machine.start(at: .zero).dials
    precondition(dials.count == count)
    let connections = (1...max(count, 1)).prefix(count).map { MockConnection(id: $0) }
    for connection in connections { _ = machine.dialSucceeded(connection, reason: .warming, at: .zero) }
    return (machine, connections)
}

extension TestMachine.AcquireResult {
    var lease: ConnectionLease<MockConnection>? {
        if case .leased(let lease, _) = self { return lease }
        return nil
    }

    var error: ConnectionPoolError? {
        if case .failed(let error, _) = self { return error }
        return nil
    }

    var mustWait: Bool {
        if case .mustWait = self { return true }
        return false
    }

    var actions: [TestMachine.Action] {
        switch self {
        case .leased(_, let actions), .failed(_, let actions), .mustWait(let actions): actions
        }
    }
}

extension TestMachine.EnqueueResult {
    var isQueued: Bool {
        if case .queued = self { return true }
        return false
    }

    var error: ConnectionPoolError? {
        if case .failed(let error, _) = self { return error }
        return nil
    }

    var actions: [TestMachine.Action] {
        switch self {
        case .leased(_, let actions), .failed(_, let actions), .queued(let actions, _): actions
        }
    }
}

extension Array where Element == TestMachine.Action {
    var dials: [ConnectionDialReason] {
        self.compactMap { if case .dial(let reason) = $0 { reason } else { nil } }
    }

    var closed: [(id: Int, reason: ConnectionCloseReason)] {
        self.compactMap { if case .close(let connection, let reason) = $0 { (connection.id, reason) } else { nil } }
    }

    var succeeded: [(waiter: Int, connection: Int, lease: ConnectionLease<MockConnection>)] {
        self.compactMap {
            if case .succeedWaiter(let waiter, let lease, _) = $0 { (waiter, lease.connection.id, lease) } else { nil }
        }
    }

    var failed: [(waiter: Int, error: ConnectionPoolError)] {
        self.compactMap { if case .failWaiter(let waiter, let error) = $0 { (waiter, error) } else { nil } }
    }

    var timers: [Duration] {
        self.compactMap { if case .scheduleTimer(let deadline) = $0 { deadline } else { nil } }
    }

    var keepAlives: [(id: Int, reference: SlotReference)] {
        self.compactMap {
            if case .keepAlive(let connection, let reference) = $0 { (connection.id, reference) } else { nil }
        }
    }

    var events: [ConnectionPoolEvent<Int>] {
        self.compactMap { if case .notify(let event) = $0 { event } else { nil } }
    }

    var completesShutdown: Bool {
        self.contains { if case .shutdownComplete = $0 { true } else { false } }
    }
}

extension ConnectionPoolError {
    var isTimeout: Bool {
        if case .acquireTimeout = self { return true }
        return false
    }

    var isShutdown: Bool {
        if case .poolShutdown = self { return true }
        return false
    }

    var isQueueFull: Bool {
        if case .waitQueueFull = self { return true }
        return false
    }

    var dialError: MockError? {
        if case .dialFailed(let error) = self { return error as? MockError }
        return nil
    }
}

extension TestMachine {
    /// Recounts idle, in-use and leased connections from the slots and compares them with the stats.
    func expectConsistentCounts(sourceLocation: SourceLocation = #_sourceLocation) {
        var idle = 0
        var inUse = 0
        var leases = 0
        for slot in self.slots {
            switch slot.phase {
            case .active where slot.leaseCount == 0: idle += 1
            case .active:
                inUse += 1
                leases += slot.leaseCount
            case .keepAlive: idle += 1
            case .empty: break
            }
        }
        let stats = self.stats
        #expect(stats.idle == idle, "idle", sourceLocation: sourceLocation)
        #expect(stats.inUse == inUse, "in use", sourceLocation: sourceLocation)
        #expect(stats.leases == leases, "leases", sourceLocation: sourceLocation)
        #expect(self.liveCount == idle + inUse, "live", sourceLocation: sourceLocation)
    }
}
