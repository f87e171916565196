/// Response-time percentiles from the client's HDR histogram.
///
/// ```swift
/// let latency = cache.stats().responseTime
/// print("avg \(latency.average) p95 \(latency.p95) p99 \(latency.p99) over \(latency.count) calls")
/// ```
public struct ResponseTimeStats: Sendable, Hashable {
    /// Calls measured.
    public var count: Int
    /// The mean.
    public var average: Duration
    /// The median.
    public var p50: Duration
    /// The 95th percentile.
    public var p95: Duration
    /// The 99th percentile.
    public var p99: Duration
    /// The slowest call.
    public var max: Duration

    /// Creates stats.
    public init(
        count: Int = 0,
        average: Duration = .zero,
        p50: Duration = .zero,
        p95: Duration = .zero,
        p99: Duration = .zero,
        max: Duration = .zero
    ) {
        self.count = count
        self.average = average
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
