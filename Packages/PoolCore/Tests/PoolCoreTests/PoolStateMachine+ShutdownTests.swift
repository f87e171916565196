import PoolCoreTestKit
import Testing

@testable import PoolCore

@Suite struct PoolStateMachineShutdownTests {
    @Test func drainFinishesLeasesThenCloses() {
        var (machine, _) = warmedMachine(2)
        let lease = machine.acquire(at: .zero).lease!
        #expect(machine.acquire(at: .zero).lease != nil)
        #expect(machine.enqueue(2, id: 2, at: .zero).isQueued)

        let drain = machine.drain(at: .seconds(1))
        #expect(drain.failed.map(\.waiter) == [2])
        #expect(drain.failed.allSatisfy { $0.error.isShutdown })
        #expect(drain.completesShutdown == false)
        #expect(machine.acquire(at: .seconds(1)).error?.isShutdown == true)

        let second = machine.leasesHeld.first { $0.connection !== lease.connection }!
        let (_, firstRelease) = machine.release(lease, at: .seconds(2))
        #expect(firstRelease.closed.map(\.reason) == [.drain])
        #expect(firstRelease.completesShutdown == false)
        let (_, lastRelease) = machine.release(second, at: .seconds(3))
        #expect(lastRelease.closed.map(\.reason) == [.drain])
        #expect(lastRelease.completesShutdown)
        #expect(machine.lifecycle == .closed && machine.stats.closed[.drain] == 2)
        machine.expectConsistentCounts()
    }

    @Test func drainClosesIdleConnectionsAtOnce() {
        var (machine, _) = warmedMachine(2)
        let actions = machine.drain(at: .zero)
        #expect(actions.closed.count == 2)
        #expect(actions.completesShutdown)
        machine.expectConsistentCounts()
    }

    @Test func drainWaitsForDialsInFlightAndClosesWhatTheyBring() {
        var machine = TestMachine(configuration: testConfiguration { $0.minimumIdleConnections = 1 })
        _ = machine.start(at: .zero)
        #expect(machine.drain(at: .zero).completesShutdown == false)
        let late = machine.dialSucceeded(MockConnection(id: 1), reason: .warming, at: .seconds(1))
        #expect(late.closed.map(\.reason) == [.drain])
        #expect(late.completesShutdown)
        machine.expectConsistentCounts()
    }

    @Test func forceCloseClosesLeasedConnectionsAndIgnoresLaterReleases() {
        var (machine, _) = warmedMachine(2)
        let lease = machine.acquire(at: .zero).lease!
        let actions = machine.forceClose(at: .seconds(1))
        #expect(actions.closed.count == 2)
        #expect(actions.completesShutdown)
        let (heldFor, late) = machine.release(lease, at: .seconds(2))
        #expect(heldFor == nil && late.isEmpty)
        #expect(machine.stats.idle == 0 && machine.stats.inUse == 0 && machine.stats.leases == 0)
        #expect(machine.timerFired(at: .seconds(3)).isEmpty)
        machine.expectConsistentCounts()
    }
}

extension TestMachine {
    /// Leases cannot be read back from the machine, so tests rebuild them from the slots.
    var leasesHeld: [ConnectionLease<MockConnection>] {
        self.slots.indices.flatMap { index -> [ConnectionLease<MockConnection>] in
            guard let connection = self.connections[index] else { return [] }
            return self.slots[index].leaseStarts.indices.compactMap { stream in
                guard self.slots[index].leaseStarts[stream] != nil else { return nil }
                return ConnectionLease(
                    connection: connection,
                    slot: index,
                    generation: self.slots[index].generation,
                    stream: stream
                )
            }
        }
    }
}
