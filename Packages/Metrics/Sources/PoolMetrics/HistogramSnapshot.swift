import Histogram

/// A merged, read-only view of a ``LatencyHistogram`` at one moment.
///
/// Percentiles are HDR estimates: within 0.1 % (3 significant digits) of the exact value, or 1 µs below 2 ms.
///
/// ```swift
/// let snapshot = histogram.snapshot()
/// print("p50 \(snapshot.p50) p99 \(snapshot.p99) p99.9 \(snapshot.p999) max \(snapshot.max)")
/// print("\(snapshot.count) samples, mean \(snapshot.mean)")
/// ```
public struct HistogramSnapshot: Sendable {
    private let histogram: Histogram<UInt64>

    /// The number of recorded values.
    public let count: UInt64

    /// The exact sum of every recorded value.
    public let sum: Duration

    init(histogram: Histogram<UInt64>, sumNanoseconds: UInt64) {
        self.histogram = histogram
        self.count = histogram.totalCount
        self.sum = .nanoseconds(sumNanoseconds)
    }

    /// The value at or below which `percentile` percent (0...100) of the recorded values lie.
    public func value(atPercentile percentile: Double) -> Duration {
        guard self.count > 0 else { return .zero }
        return .microseconds(self.histogram.valueAtPercentile(percentile))
    }

    /// The number of recorded values at or below `bound`, to the histogram's precision.
    public func count(atOrBelow bound: Duration) -> UInt64 {
        guard self.count > 0 else { return 0 }
        let (seconds, attoseconds) = bound.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let microseconds = UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
        return self.histogram.count(within: 0...microseconds)
    }

    /// The median.
    public var p50: Duration { self.value(atPercentile: 50) }
    /// The 90th percentile.
    public var p90: Duration { self.value(atPercentile: 90) }
    /// The 95th percentile.
    public var p95: Duration { self.value(atPercentile: 95) }
    /// The 99th percentile.
    public var p99: Duration { self.value(atPercentile: 99) }
    /// The 99.9th percentile.
    public var p999: Duration { self.value(atPercentile: 99.9) }

    /// The largest recorded value.
    public var max: Duration {
        guard self.count > 0 else { return .zero }
        return .microseconds(self.histogram.maxRecorded)
    }

    /// The arithmetic mean, from the exact sum.
    public var mean: Duration {
        guard self.count > 0 else { return .zero }
        return self.sum / Int(self.count)
    }
}
