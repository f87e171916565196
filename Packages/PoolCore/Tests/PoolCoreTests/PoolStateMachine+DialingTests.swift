import PoolCoreTestKit
import Testing

@testable import PoolCore

@Suite struct PoolStateMachineDialingTests {
    @Test func aNewConnectionGoesToTheNextWaiterWhenItsCauseGaveUp() {
        var machine = TestMachine(configuration: testConfiguration { $0.hardMaximumConnections = 1 })
        _ = machine.start(at: .zero)
        #expect(machine.enqueue(1, id: 1, at: .zero).actions.dials == [.demand])
        #expect(machine.cancelWaiter(id: 1) == 1)
        #expect(machine.enqueue(2, id: 2, at: .seconds(1)).actions.dials.isEmpty)
        let actions = machine.dialSucceeded(MockConnection(id: 1), reason: .demand, at: .seconds(2))
        #expect(actions.succeeded.map(\.waiter) == [2])
        #expect(machine.stats.misses == 1)
        machine.expectConsistentCounts()
    }

    @Test func aNewConnectionIdlesWhenNobodyWaits() {
        var machine = TestMachine(configuration: testConfiguration())
        _ = machine.start(at: .zero)
        _ = machine.enqueue(1, id: 1, at: .zero)
        _ = machine.cancelWaiter(id: 1)
        let actions = machine.dialSucceeded(MockConnection(id: 1), reason: .demand, at: .seconds(1))
        #expect(actions.succeeded.isEmpty)
        #expect(machine.stats.idle == 1)
        #expect(machine.acquire(at: .seconds(2)).lease?.connection.id == 1)
    }

    @Test func dialFailuresBackOffExponentiallyThenFailFastThenRecover() {
        var machine = TestMachine(
            configuration: testConfiguration {
                $0.failFastAfterDialFailures = 3
                $0.dialBackoffInitial = .milliseconds(100)
                $0.dialBackoffMaximum = .seconds(1)
                $0.housekeepingInterval = .seconds(60)
                $0.acquireTimeout = .seconds(30)
            }
        )
        _ = machine.start(at: .zero)
        #expect(machine.enqueue(1, id: 1, at: .zero).actions.dials == [.demand])

        var now = Duration.zero
        let first = machine.dialFailed(MockError("refused 1"), reason: .demand, at: now)
        #expect(first.timers == [.milliseconds(100)])
        #expect(first.failed.isEmpty)
        #expect(machine.enqueue(2, id: 2, at: now).actions.dials.isEmpty, "no dial while backing off")

        now = .milliseconds(100)
        #expect(machine.timerFired(at: now).dials == [.demand, .demand])
        let second = machine.dialFailed(MockError("refused 2"), reason: .demand, at: now)
        #expect(second.timers == [.milliseconds(300)])
        let third = machine.dialFailed(MockError("refused 3"), reason: .demand, at: now)
        #expect(third.failed.map(\.waiter) == [1, 2])
        #expect(third.failed.allSatisfy { $0.error.dialError == MockError("refused 3") })
        #expect(third.events.contains { if case .failFastStarted(3) = $0 { true } else { false } })

        let fastFailure = machine.acquire(at: now)
        #expect(fastFailure.error?.dialError == MockError("refused 3"))
        #expect(fastFailure.actions.dials.isEmpty)
        #expect(machine.enqueue(3, id: 3, at: now).error?.dialError == MockError("refused 3"))

        now = .milliseconds(300)
        let probe = machine.timerFired(at: now)
        #expect(probe.dials == [.retry], "a single background retrier")
        let probeFailed = machine.dialFailed(MockError("refused 4"), reason: .retry, at: now)
        #expect(probeFailed.timers == [now + .milliseconds(800)])
        #expect(machine.timerFired(at: .milliseconds(900)).dials.isEmpty)

        now = .milliseconds(1100)
        #expect(machine.timerFired(at: now).dials == [.retry])
        let recovered = machine.dialSucceeded(MockConnection(id: 1), reason: .retry, at: now)
        #expect(recovered.events.contains { if case .failFastRecovered = $0 { true } else { false } })
        #expect(machine.acquire(at: now).lease?.connection.id == 1)
        #expect(machine.stats.dialFailures == 4)
        machine.expectConsistentCounts()
    }

    @Test func backoffIsCappedAndJittered() {
        var machine = TestMachine(
            configuration: testConfiguration {
                $0.dialBackoffInitial = .milliseconds(100)
                $0.dialBackoffMaximum = .seconds(2)
                $0.dialBackoffJitter = 0.5
            }
        )
        var delays: Set<Duration> = []
        for failures in 1...40 {
            let ceiling = min(Duration.milliseconds(100) * (1 << min(failures - 1, 20)), .seconds(2))
            let delay = machine.backoff(afterFailures: failures)
            #expect(delay <= ceiling && delay >= ceiling / 2)
            delays.insert(delay)
        }
        #expect(delays.count > 10, "jitter spreads the delays")
    }

    @Test func warmingRetriesAfterAFailedDial() {
        var machine = TestMachine(configuration: testConfiguration { $0.minimumIdleConnections = 1 })
        _ = machine.start(at: .zero)
        let failure = machine.dialFailed(MockError("down"), reason: .warming, at: .zero)
        #expect(failure.timers == [.milliseconds(100)])
        #expect(machine.timerFired(at: .milliseconds(100)).dials == [.warming])
    }

    @Test func demandAfterAFailureWaitsOutTheBackoff() {
        var machine = TestMachine(configuration: testConfiguration { $0.housekeepingInterval = .seconds(60) })
        _ = machine.start(at: .zero)
        _ = machine.enqueue(1, id: 1, at: .zero)
        _ = machine.cancelWaiter(id: 1)
        #expect(machine.dialFailed(MockError("refused"), reason: .demand, at: .zero).timers == [.milliseconds(100)])
        #expect(machine.enqueue(2, id: 2, at: .milliseconds(50)).actions.dials.isEmpty)
        #expect(machine.timerFired(at: .milliseconds(100)).dials == [.demand])
    }

    @Test func lifetimesAreJitteredBelowTheMaximum() {
        var machine = TestMachine(
            configuration: testConfiguration {
                $0.minimumIdleConnections = 4
                $0.maximumLifetime = .seconds(100)
                $0.lifetimeJitter = .seconds(10)
            }
        )
        _ = machine.start(at: .zero)
        for id in 1...4 { _ = machine.dialSucceeded(MockConnection(id: id), reason: .warming, at: .zero) }
        let expiries = machine.slots.compactMap(\.expiresAt)
        #expect(expiries.count == 4)
        #expect(expiries.allSatisfy { $0 <= .seconds(100) && $0 >= .seconds(90) })
        #expect(Set(expiries).count > 1)
    }
}
