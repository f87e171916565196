import PoolCoreTestKit
import Testing

@testable import PoolCore

@Suite struct PoolStateMachineHousekeepingTests {
    @Test func lifetimeExpiryUnderLoadReplacesConnectionsWithoutFailingWaiters() {
        var (machine, _) = warmedMachine(1) {
            $0.maximumLifetime = .seconds(10)
            $0.hardMaximumConnections = 1
        }
        let lease = machine.acquire(at: .seconds(1)).lease!
        #expect(machine.enqueue(1, id: 1, at: .seconds(9)).isQueued)

        let housekeeping = machine.timerFired(at: .seconds(10))
        #expect(housekeeping.closed.isEmpty, "a leased connection is retired, not closed")

        let (_, released) = machine.release(lease, at: .seconds(11))
        #expect(released.closed.map(\.reason) == [.lifetime])
        #expect(released.succeeded.isEmpty)
        #expect(released.dials == [.demand])

        let replaced = machine.dialSucceeded(MockConnection(id: 2), reason: .demand, at: .seconds(12))
        #expect(replaced.succeeded.map(\.connection) == [2])
        #expect(machine.stats.closed[.lifetime] == 1)
        machine.expectConsistentCounts()
    }

    @Test func expiredIdleConnectionsAreClosedAndTheMinimumRestored() {
        var (machine, _) = warmedMachine(2) { $0.maximumLifetime = .seconds(10) }
        let actions = machine.timerFired(at: .seconds(10))
        #expect(actions.closed.map(\.reason) == [.lifetime, .lifetime])
        #expect(actions.dials == [.warming, .warming])
        machine.expectConsistentCounts()
    }

    @Test func idleTimeoutClosesIdleConnectionsDownToTheMinimum() {
        var (machine, _) = warmedMachine(1) {
            $0.idleTimeout = .seconds(30)
            $0.softMaximumConnections = 3
            $0.hardMaximumConnections = 3
        }
        let leases = (0..<3).compactMap { _ -> ConnectionLease<MockConnection>? in
            let result = machine.acquire(at: .zero)
            for reason in result.actions.dials {
                _ = machine.dialSucceeded(MockConnection(id: 10 + machine.stats.created), reason: reason, at: .zero)
            }
            return result.lease
        }
        #expect(leases.count == 3)
        for lease in leases { _ = machine.release(lease, at: .seconds(1)) }
        #expect(machine.timerFired(at: .seconds(30)).closed.isEmpty)
        let actions = machine.timerFired(at: .seconds(31))
        #expect(actions.closed.count == 2)
        #expect(actions.closed.allSatisfy { $0.reason == .idle })
        #expect(machine.stats.idle == 1)
        machine.expectConsistentCounts()
    }

    @Test func keepAlivesRunOnIdleConnectionsAndAFailureClosesTheConnection() {
        var (machine, connections) = warmedMachine(2) { $0.keepAliveInterval = .seconds(5) }
        let lease = machine.acquire(at: .seconds(1)).lease!
        #expect(machine.timerFired(at: .seconds(4)).keepAlives.isEmpty)

        let actions = machine.timerFired(at: .seconds(5))
        #expect(actions.keepAlives.count == 1, "only the idle connection")
        #expect(machine.stats.idle == 1, "a connection in a keep-alive still counts as idle")
        #expect(machine.enqueue(1, id: 1, at: .seconds(5)).isQueued, "but it is not lendable")
        _ = machine.cancelWaiter(id: 1)
        let pinged = actions.keepAlives[0]
        #expect(pinged.id != lease.connection.id)

        let failed = machine.keepAliveFinished(pinged.reference, error: MockError("no PONG"), at: .seconds(5))
        #expect(failed.closed.map(\.reason) == [.error])
        #expect(failed.events.contains { if case .keepAliveFailed(pinged.id, _) = $0 { true } else { false } })
        #expect(failed.dials == [.warming])
        #expect(connections.count == 2)
        machine.expectConsistentCounts()
    }

    @Test func aKeepAliveDoesNotDialAReplacementForTheMinimum() {
        var (machine, _) = warmedMachine(1) {
            $0.keepAliveInterval = .seconds(5)
            $0.softMaximumConnections = 4
            $0.hardMaximumConnections = 4
        }
        let actions = machine.timerFired(at: .seconds(5))
        #expect(actions.keepAlives.count == 1)
        #expect(actions.dials.isEmpty)
        let finished = machine.keepAliveFinished(actions.keepAlives[0].reference, error: nil, at: .seconds(5))
        #expect(finished.dials.isEmpty && finished.closed.isEmpty)
        #expect(finished.events.contains { if case .keepAliveSucceeded(1) = $0 { true } else { false } })
        #expect(machine.stats.idle == 1 && machine.stats.created == 1)
        machine.expectConsistentCounts()
    }

    @Test func aSuccessfulKeepAliveReturnsTheConnectionToWaiters() {
        var (machine, _) = warmedMachine(1) { $0.keepAliveInterval = .seconds(5) }
        let pinged = machine.timerFired(at: .seconds(5)).keepAlives[0]
        #expect(machine.enqueue(1, id: 1, at: .seconds(5)).isQueued)
        let actions = machine.keepAliveFinished(pinged.reference, error: nil, at: .seconds(6))
        #expect(actions.succeeded.map(\.waiter) == [1])
        #expect(machine.timerFired(at: .seconds(7)).keepAlives.isEmpty)
        machine.expectConsistentCounts()
    }

    @Test func aLeaseHeldPastTheThresholdIsReportedOnceWithItsAge() {
        var (machine, connections) = warmedMachine(1) { $0.leakWarningThreshold = .seconds(3) }
        let lease = machine.acquire(at: .seconds(1)).lease!
        #expect(machine.timerFired(at: .seconds(3)).events.isEmpty)
        let warning = machine.timerFired(at: .seconds(4)).events
        let ages = warning.compactMap { if case .leakSuspected(let id, let age) = $0 { (id, age) } else { nil } }
        #expect(ages.count == 1)
        #expect(ages.first?.0 == connections[0].id && ages.first?.1 == .seconds(3))
        #expect(machine.timerFired(at: .seconds(5)).events.isEmpty, "reported once")
        _ = machine.release(lease, at: .seconds(6))
        let again = machine.acquire(at: .seconds(6)).lease!
        #expect(machine.timerFired(at: .seconds(9)).events.count == 1, "a new lease is tracked afresh")
        _ = machine.release(again, at: .seconds(9))
        machine.expectConsistentCounts()
    }
}
