import Testing

@testable import CircuitBreaker

@Suite struct SlidingWindowTests {
    @Test func countBasedWindowKeepsOnlyTheLastCalls() {
        var window = SlidingWindow(.countBased(calls: 4))
        for _ in 0..<4 { window.record(failure: true, slow: true, elapsed: .zero) }
        #expect(window.snapshot(elapsed: .zero) == SlidingWindowSnapshot(calls: 4, failures: 4, slowCalls: 4))

        window.record(failure: false, slow: false, elapsed: .zero)
        window.record(failure: false, slow: true, elapsed: .zero)
        #expect(window.snapshot(elapsed: .zero) == SlidingWindowSnapshot(calls: 4, failures: 2, slowCalls: 3))

        for _ in 0..<2 { window.record(failure: false, slow: false, elapsed: .zero) }
        let snapshot = window.snapshot(elapsed: .zero)
        #expect(snapshot == SlidingWindowSnapshot(calls: 4, failures: 0, slowCalls: 1))
        #expect(snapshot.failureRate == 0)
        #expect(snapshot.slowCallRate == 0.25)
    }

    @Test func countBasedWindowIgnoresTime() {
        var window = SlidingWindow(.countBased(calls: 3))
        window.record(failure: true, slow: false, elapsed: .zero)
        #expect(window.snapshot(elapsed: .seconds(3600)).calls == 1)
    }

    @Test func timeBasedWindowRollsBucketByBucket() {
        var window = SlidingWindow(.timeBased(buckets: 3, bucketWidth: .seconds(1)))
        window.record(failure: true, slow: false, elapsed: .milliseconds(100))  // bucket 0
        window.record(failure: false, slow: false, elapsed: .milliseconds(1_500))  // bucket 1
        window.record(failure: false, slow: true, elapsed: .milliseconds(2_900))  // bucket 2
        #expect(
            window.snapshot(elapsed: .milliseconds(2_999)) == SlidingWindowSnapshot(calls: 3, failures: 1, slowCalls: 1)
        )

        // Bucket 0 ages out alone; the others stay.
        #expect(window.snapshot(elapsed: .seconds(3)) == SlidingWindowSnapshot(calls: 2, failures: 0, slowCalls: 1))
        #expect(window.snapshot(elapsed: .seconds(4)) == SlidingWindowSnapshot(calls: 1, failures: 0, slowCalls: 1))
        #expect(window.snapshot(elapsed: .seconds(5)) == SlidingWindowSnapshot(calls: 0, failures: 0, slowCalls: 0))
    }

    @Test func timeBasedWindowForgetsEverythingAfterALongGap() {
        var window = SlidingWindow(.timeBased(buckets: 4, bucketWidth: .milliseconds(250)))
        for step in 0..<8 {
            window.record(failure: step.isMultiple(of: 2), slow: false, elapsed: .milliseconds(step * 100))
        }
        #expect(window.snapshot(elapsed: .milliseconds(700)).calls == 8)
        window.record(failure: false, slow: false, elapsed: .seconds(60))
        #expect(window.snapshot(elapsed: .seconds(60)) == SlidingWindowSnapshot(calls: 1, failures: 0, slowCalls: 0))
    }

    @Test func timeBasedWindowTreatsAClockStepBackAsNow() {
        var window = SlidingWindow(.timeBased(buckets: 2, bucketWidth: .seconds(1)))
        window.record(failure: true, slow: false, elapsed: .seconds(5))
        window.record(failure: true, slow: false, elapsed: .seconds(1))
        #expect(window.snapshot(elapsed: .seconds(5)).failures == 2)
        #expect(window.snapshot(elapsed: .seconds(7)).calls == 0)
    }

    @Test func runningTotalsMatchARecountAfterManyCalls() {
        var window = SlidingWindow(.countBased(calls: 7))
        var history: [(failure: Bool, slow: Bool)] = []
        for step in 0..<200 {
            let value = (step * 7_919) % 13
            let call = (failure: value % 3 == 0, slow: value % 2 == 0)
            history.append(call)
            window.record(failure: call.failure, slow: call.slow, elapsed: .zero)
            let recent = history.suffix(7)
            let expected = SlidingWindowSnapshot(
                calls: recent.count,
                failures: recent.filter(\.failure).count,
                slowCalls: recent.filter(\.slow).count
            )
            #expect(window.snapshot(elapsed: .zero) == expected)
        }
    }

    @Test func resetEmptiesTheWindow() {
        var window = SlidingWindow(.timeBased(buckets: 2, bucketWidth: .seconds(1)))
        window.record(failure: true, slow: true, elapsed: .seconds(1))
        window.reset()
        #expect(window.snapshot(elapsed: .seconds(1)) == SlidingWindowSnapshot(calls: 0, failures: 0, slowCalls: 0))
        #expect(window.snapshot(elapsed: .seconds(1)).failureRate == 0)
    }
}
