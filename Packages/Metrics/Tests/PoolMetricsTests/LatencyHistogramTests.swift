import Foundation
import Testing

@testable import PoolMetrics

@Suite struct LatencyHistogramTests {
    /// The sorted-array reference for HDR's definition: the smallest value with at least p% of values at or below.
    private func referencePercentile(_ sorted: [UInt64], _ percentile: Double) -> UInt64 {
        // The epsilon keeps 99.9 / 100 * 20_000 = 19_980.000000000004 from rounding up to the next rank.
        let rank = max(1, Int((percentile * Double(sorted.count) / 100 - 1e-9).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    private func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func percentilesMatchASortedReferenceWithinHDRPrecision(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let histogram = LatencyHistogram(name: "latency_seconds")
        var values: [UInt64] = []
        for _ in 0..<20_000 {
            // Log-uniform from 1 µs to 10 s, so every decade of the range is exercised.
            let exponent = Double.random(in: 0..<7, using: &random)
            let value = UInt64(pow(10, exponent).rounded(.down))
            values.append(value)
            histogram.record(.microseconds(value))
        }
        values.sort()
        let snapshot = histogram.snapshot()
        #expect(snapshot.count == UInt64(values.count))

        let checked: [(Double, Duration)] = [
            (50, snapshot.p50), (90, snapshot.p90), (95, snapshot.p95), (99, snapshot.p99), (99.9, snapshot.p999),
        ]
        for (percentile, estimate) in checked {
            let reference = self.referencePercentile(values, percentile)
            let got = self.microseconds(estimate)
            let tolerance = reference / 1_000 + 1
            #expect(
                got >= reference && got - reference <= tolerance,
                "p\(percentile): HDR \(got) µs, reference \(reference) µs"
            )
        }
        #expect(self.microseconds(snapshot.max) == values.last)
        let exactSum = values.reduce(0, +)
        #expect(snapshot.sum == .microseconds(exactSum))
        #expect(snapshot.mean == .microseconds(exactSum) / values.count)
    }

    @Test func concurrentRecordingFromManyTasksLosesNoCounts() async {
        let histogram = LatencyHistogram(name: "latency_seconds")
        let tasks = 64
        let perTask = 5_000
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in 0..<perTask {
                        histogram.recordNanoseconds(UInt64(task * 1_000 + index % 1_000) * 1_000)
                    }
                }
            }
        }
        let snapshot = histogram.snapshot()
        #expect(snapshot.count == UInt64(tasks * perTask))
        var expectedSum: UInt64 = 0
        for task in 0..<tasks {
            for index in 0..<perTask {
                expectedSum += UInt64(task * 1_000 + index % 1_000) * 1_000
            }
        }
        #expect(snapshot.sum == .nanoseconds(expectedSum))
        #expect(snapshot.max == .microseconds(63 * 1_000 + 999))
    }

    @Test func valuesBeyondSixtySecondsAreCountedAtTheTop() {
        let histogram = LatencyHistogram(name: "latency_seconds")
        histogram.record(.seconds(3_600))
        histogram.record(.seconds(Int64.max))
        histogram.record(.seconds(-1))
        let snapshot = histogram.snapshot()
        #expect(snapshot.count == 3)
        #expect(snapshot.max == LatencyHistogram.highestTrackable)
        #expect(snapshot.value(atPercentile: 0) == .zero)
    }

    @Test func emptySnapshotIsAllZero() {
        let snapshot = LatencyHistogram(name: "latency_seconds").snapshot()
        #expect(snapshot.count == 0)
        #expect(snapshot.p99 == .zero)
        #expect(snapshot.max == .zero)
        #expect(snapshot.mean == .zero)
        #expect(snapshot.count(atOrBelow: .seconds(1)) == 0)
    }

    @Test func countAtOrBelowIsCumulative() {
        let histogram = LatencyHistogram(name: "latency_seconds")
        for milliseconds in [1, 2, 3, 10, 100, 1_000] {
            histogram.record(.milliseconds(milliseconds))
        }
        let snapshot = histogram.snapshot()
        #expect(snapshot.count(atOrBelow: .microseconds(500)) == 0)
        #expect(snapshot.count(atOrBelow: .milliseconds(3)) == 3)
        #expect(snapshot.count(atOrBelow: .milliseconds(50)) == 4)
        #expect(snapshot.count(atOrBelow: .seconds(1)) == 6)
    }

    @Test func resetForgetsEverything() {
        let histogram = LatencyHistogram(name: "latency_seconds")
        histogram.record(.milliseconds(5))
        histogram.reset()
        #expect(histogram.snapshot().count == 0)
        #expect(histogram.snapshot().sum == .zero)
    }

    @Test func shardCountIsAPowerOfTwo() {
        #expect(LatencyHistogram(name: "a", shardCount: 3).shardCount == 4)
        #expect(LatencyHistogram(name: "b", shardCount: 1).shardCount == 1)
        let automatic = LatencyHistogram(name: "c").shardCount
        #expect(automatic >= 2 && automatic & (automatic - 1) == 0)
    }

    @Test func aThreadKeepsItsStripe() {
        let first = ThreadStripe.current()
        #expect(first >= 1)
        #expect(ThreadStripe.current() == first)
    }
}
