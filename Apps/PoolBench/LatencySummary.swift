import PoolMetrics

/// The percentiles a report shows, read once from an HDR snapshot (microsecond resolution).
///
/// ```swift
/// let summary = LatencySummary(histogram.snapshot())
/// print(summary.p99)
/// ```
struct LatencySummary: Sendable {
    let snapshot: HistogramSnapshot
    let count: UInt64
    let mean: Duration
    let p50: Duration
    let p90: Duration
    let p99: Duration
    let p999: Duration
    let max: Duration

    init(_ snapshot: HistogramSnapshot) {
        self.snapshot = snapshot
        self.count = snapshot.count
        self.mean = snapshot.mean
        self.p50 = snapshot.p50
        self.p90 = snapshot.p90
        self.p99 = snapshot.p99
        self.p999 = snapshot.p999
        self.max = snapshot.max
    }

    /// `(label, value)` in report order.
    var percentiles: [(label: String, value: Duration)] {
        [("p50", self.p50), ("p90", self.p90), ("p99", self.p99), ("p99.9", self.p999), ("max", self.max)]
    }
}
