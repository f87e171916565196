import PoolCoreTestKit
import Testing

@testable import PoolCore

@Suite struct PoolStateMachineTests {
    // MARK: - Warming

    @Test func startWarmsTheMinimumIdleAndSchedulesHousekeeping() {
        var machine = TestMachine(configuration: testConfiguration { $0.minimumIdleConnections = 2 })
        let actions = machine.start(at: .zero)
        #expect(actions.dials == [.warming, .warming])
        #expect(actions.timers == [.seconds(1)])
        #expect(machine.stats.pending == 2)

        _ = machine.dialSucceeded(MockConnection(id: 1), reason: .warming, at: .milliseconds(5))
        let last = machine.dialSucceeded(MockConnection(id: 2), reason: .warming, at: .milliseconds(6))
        #expect(last.dials.isEmpty)
        let stats = machine.stats
        #expect(stats.idle == 2 && stats.warmed == 2 && stats.created == 2 && stats.pending == 0)
    }

    @Test func borrowingBelowTheMinimumIdleTopsUp() {
        var (machine, _) = warmedMachine(2) {
            $0.softMaximumConnections = 4; $0.hardMaximumConnections = 4
        }
        let result = machine.acquire(at: .seconds(1))
        #expect(result.lease != nil)
        #expect(result.actions.dials == [.warming])
        #expect(machine.stats.hits == 1)
    }

    @Test func toppingUpStopsAtTheSoftMaximum() {
        var (machine, _) = warmedMachine(2) { $0.hardMaximumConnections = 8 }
        let result = machine.acquire(at: .seconds(1))
        #expect(result.lease != nil)
        #expect(result.actions.dials.isEmpty)
    }

    // MARK: - Acquire and release

    @Test func releaseMakesTheConnectionIdleAgain() {
        var (machine, connections) = warmedMachine(1)
        let lease = machine.acquire(at: .seconds(1)).lease!
        #expect(lease.connection === connections[0])
        #expect(machine.stats.idle == 0 && machine.stats.inUse == 1 && machine.stats.leases == 1)
        let (heldFor, actions) = machine.release(lease, at: .seconds(3))
        #expect(heldFor == .seconds(2))
        #expect(actions.isEmpty)
        #expect(machine.stats.idle == 1 && machine.stats.inUse == 0 && machine.stats.leases == 0)
        machine.expectConsistentCounts()
    }

    @Test func releasingTwiceIsIgnored() {
        var (machine, _) = warmedMachine(1)
        let lease = machine.acquire(at: .zero).lease!
        _ = machine.release(lease, at: .seconds(1))
        let (heldFor, actions) = machine.release(lease, at: .seconds(2))
        #expect(heldFor == nil && actions.isEmpty)
        #expect(machine.stats.idle == 1)
    }

    @Test func waitersAreServedInFIFOOrderByReleases() {
        var (machine, _) = warmedMachine(1)
        let lease = machine.acquire(at: .zero).lease!
        #expect(machine.acquire(at: .zero).mustWait)
        #expect(machine.enqueue(1, id: 1, at: .seconds(1)).isQueued)
        #expect(machine.enqueue(2, id: 2, at: .seconds(2)).isQueued)
        let (_, first) = machine.release(lease, at: .seconds(3))
        #expect(first.succeeded.map(\.waiter) == [1])
        let (_, second) = machine.release(first.succeeded[0].lease, at: .seconds(4))
        #expect(second.succeeded.map(\.waiter) == [2])
        let stats = machine.stats
        #expect(stats.waitCount == 2)
        #expect(stats.waitDuration == .seconds(2) + .seconds(2))
        #expect(stats.hits == 3 && stats.misses == 0 && stats.reuseRate == 1)
        machine.expectConsistentCounts()
    }

    @Test func theWaitQueueIsBounded() {
        var (machine, _) = warmedMachine(1) { $0.maximumWaiters = 1 }
        _ = machine.acquire(at: .zero)
        #expect(machine.enqueue(1, id: 1, at: .zero).isQueued)
        #expect(machine.enqueue(2, id: 2, at: .zero).error?.isQueueFull == true)
    }

    @Test func anAcquireTimesOutAtItsDeadline() {
        var machine = TestMachine(configuration: testConfiguration { $0.hardMaximumConnections = 4 })
        _ = machine.start(at: .zero)
        let queued = machine.enqueue(7, id: 1, at: .milliseconds(500))
        #expect(queued.actions.dials == [.demand])
        let earlyTimer = machine.timerFired(at: .seconds(5))
        #expect(earlyTimer.failed.isEmpty)
        let actions = machine.timerFired(at: .milliseconds(5500))
        #expect(actions.failed.map(\.waiter) == [7])
        #expect(actions.failed.first?.error.isTimeout == true)
        #expect(machine.stats.timeouts == 1 && machine.stats.waiting == 0)
    }

    @Test func theFirstWaiterSchedulesATimerAtItsDeadline() {
        var machine = TestMachine(configuration: testConfiguration { $0.housekeepingInterval = .seconds(60) })
        _ = machine.start(at: .zero)
        #expect(machine.enqueue(1, id: 1, at: .zero).actions.timers == [.seconds(5)])
        #expect(machine.enqueue(2, id: 2, at: .seconds(1)).actions.timers.isEmpty)
        let actions = machine.timerFired(at: .seconds(5))
        #expect(actions.failed.map(\.waiter) == [1])
        #expect(actions.timers == [.seconds(6)])
    }

    @Test func cancellingAWaiterRemovesOnlyThatWaiter() {
        var (machine, _) = warmedMachine(1)
        let lease = machine.acquire(at: .zero).lease!
        for id in 1...3 { #expect(machine.enqueue(Int(id), id: UInt64(id), at: .zero).isQueued) }
        #expect(machine.cancelWaiter(id: 2) == 2)
        #expect(machine.cancelWaiter(id: 2) == nil)
        #expect(machine.stats.waiting == 2 && machine.stats.cancellations == 1)
        let (_, first) = machine.release(lease, at: .seconds(1))
        #expect(first.succeeded.map(\.waiter) == [1])
        let (_, second) = machine.release(first.succeeded[0].lease, at: .seconds(2))
        #expect(second.succeeded.map(\.waiter) == [3])
    }

    @Test func manyCancellationsKeepTheQueueCompact() {
        var (machine, _) = warmedMachine(1) { $0.maximumWaiters = 100_000 }
        let lease = machine.acquire(at: .zero).lease!
        for id in 1...10_000 {
            _ = machine.enqueue(id, id: UInt64(id), at: .zero)
            if id < 10_000 { #expect(machine.cancelWaiter(id: UInt64(id)) == id) }
        }
        let (_, actions) = machine.release(lease, at: .seconds(1))
        #expect(actions.succeeded.map(\.waiter) == [10_000])
    }

    // MARK: - Validation on borrow

    @Test func anUnusableIdleConnectionIsClosedOnBorrow() {
        var (machine, connections) = warmedMachine(2) { $0.idleOrder = .lifo }
        connections[1].markUnusable()
        let result = machine.acquire(at: .seconds(1))
        #expect(result.lease?.connection === connections[0])
        #expect(result.actions.closed.map(\.id) == [2])
        #expect(result.actions.closed.map(\.reason) == [.validation])
        #expect(machine.stats.closed[.validation] == 1)
        machine.expectConsistentCounts()
    }

    @Test func anExpiredIdleConnectionIsClosedOnBorrowBeforeTheCheapCheck() {
        var (machine, connections) = warmedMachine(1) { $0.maximumLifetime = .seconds(10) }
        connections[0].markUnusable()
        let result = machine.acquire(at: .seconds(10))
        #expect(result.mustWait)
        #expect(result.actions.closed.map(\.reason) == [.lifetime])
        machine.expectConsistentCounts()
    }

    // MARK: - Idle order and limits

    @Test(arguments: [ConnectionPoolConfiguration.IdleOrder.fifo, .lifo])
    func idleOrderDecidesWhichConnectionIsBorrowed(order: ConnectionPoolConfiguration.IdleOrder) {
        var (machine, _) = warmedMachine(3) { $0.idleOrder = order }
        let leases = (0..<3).map { _ in machine.acquire(at: .zero).lease! }
        for id in [2, 3, 1] {
            _ = machine.release(leases.first { $0.connection.id == id }!, at: .seconds(id))
        }
        // FIFO lends the connection idle longest (2), LIFO the most recently released (1).
        let borrowed = machine.acquire(at: .seconds(5)).lease!.connection.id
        #expect(borrowed == (order == .fifo ? 2 : 1))
        machine.expectConsistentCounts()
    }

    @Test func surplusConnectionsAboveTheSoftMaximumCloseWhenReleased() {
        var machine = TestMachine(
            configuration: testConfiguration {
                $0.softMaximumConnections = 1
                $0.hardMaximumConnections = 2
            }
        )
        _ = machine.start(at: .zero)
        _ = machine.enqueue(1, id: 1, at: .zero)
        _ = machine.enqueue(2, id: 2, at: .zero)
        #expect(machine.stats.pending == 2)
        let first = machine.dialSucceeded(MockConnection(id: 1), reason: .demand, at: .zero).succeeded[0].lease
        let second = machine.dialSucceeded(MockConnection(id: 2), reason: .demand, at: .zero).succeeded[0].lease
        #expect(machine.stats.misses == 2 && machine.stats.reuseRate == 0)
        let (_, closing) = machine.release(first, at: .seconds(1))
        #expect(closing.closed.map(\.reason) == [.idle])
        let (_, keeping) = machine.release(second, at: .seconds(1))
        #expect(keeping.closed.isEmpty)
        #expect(machine.stats.idle == 1)
        machine.expectConsistentCounts()
    }

    @Test func idleConnectionsAboveTheMaximumIdleCloseWhenReleased() {
        var (machine, _) = warmedMachine(2) {
            $0.maximumIdleConnections = 2; $0.softMaximumConnections = 3; $0.hardMaximumConnections = 3
        }
        let first = machine.acquire(at: .zero)
        #expect(first.actions.dials == [.warming])
        _ = machine.dialSucceeded(MockConnection(id: 3), reason: .warming, at: .zero)
        let leases = [first] + (0..<2).map { _ in machine.acquire(at: .zero) }
        #expect(leases.allSatisfy { $0.lease != nil })
        var closedReasons: [ConnectionCloseReason] = []
        for lease in leases.compactMap(\.lease) {
            closedReasons += machine.release(lease, at: .seconds(1)).1.closed.map(\.reason)
        }
        #expect(closedReasons == [.idle])
        #expect(machine.stats.idle == 2)
        machine.expectConsistentCounts()
    }

    // MARK: - Multiplexing

    @Test func multiplexedLeasesShareAConnectionUpToTheLimit() {
        var (machine, connections) = warmedMachine(1) { $0.maximumLeasesPerConnection = 3 }
        let leases = (0..<3).map { _ in machine.acquire(at: .zero).lease! }
        #expect(leases.allSatisfy { $0.connection === connections[0] })
        #expect(Set(leases.map(\.stream)).count == 3)
        #expect(machine.stats.leases == 3 && machine.stats.inUse == 1 && machine.stats.idle == 0)
        #expect(machine.acquire(at: .zero).mustWait)
        #expect(machine.enqueue(9, id: 1, at: .zero).isQueued)
        let (_, actions) = machine.release(leases[1], at: .seconds(1))
        #expect(actions.succeeded.map(\.waiter) == [9])
        #expect(actions.succeeded.first?.lease.stream == leases[1].stream)
        for lease in [leases[0], leases[2], actions.succeeded[0].lease] { _ = machine.release(lease, at: .seconds(2)) }
        #expect(machine.stats.idle == 1 && machine.stats.leases == 0 && machine.stats.inUse == 0)
        machine.expectConsistentCounts()
    }

    @Test func aDialServesSeveralWaitersOfAMultiplexedPool() {
        var machine = TestMachine(configuration: testConfiguration { $0.maximumLeasesPerConnection = 2 })
        _ = machine.start(at: .zero)
        let first = machine.enqueue(1, id: 1, at: .zero)
        let second = machine.enqueue(2, id: 2, at: .zero)
        let third = machine.enqueue(3, id: 3, at: .zero)
        #expect(first.actions.dials == [.demand] && second.actions.dials.isEmpty && third.actions.dials == [.demand])
        let actions = machine.dialSucceeded(MockConnection(id: 1), reason: .demand, at: .seconds(1))
        #expect(actions.succeeded.map(\.waiter) == [1, 2])
        machine.expectConsistentCounts()
    }

    @Test func discardingALeaseClosesItsConnectionAsAnError() {
        var (machine, _) = warmedMachine(1)
        let lease = machine.acquire(at: .zero).lease!
        let (_, actions) = machine.release(lease, at: .seconds(1), discard: true)
        #expect(actions.closed.map(\.reason) == [.error])
        #expect(actions.dials == [.warming])
        machine.expectConsistentCounts()
    }
}
