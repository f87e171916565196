import CoreMetrics

/// The swift-metrics handles the bridge keeps (backends expect them to be long-lived) and what it last published.
struct SwiftMetricsBridgeState: Sendable {
    struct SeriesKey: Hashable, Sendable {
        var name: String
        var labelValues: [String]
    }

    private var counters: [SeriesKey: CoreMetrics.Counter] = [:]
    private var floatingCounters: [SeriesKey: FloatingPointCounter] = [:]
    private var meters: [SeriesKey: Meter] = [:]
    private var publishedCounts: [SeriesKey: UInt64] = [:]
    private var publishedSums: [SeriesKey: Duration] = [:]

    mutating func counter(
        _ key: SeriesKey,
        label: String,
        dimensions: [(String, String)],
        factory: any MetricsFactory
    ) -> CoreMetrics.Counter {
        if let existing = self.counters[key] { return existing }
        let created = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
        self.counters[key] = created
        return created
    }

    mutating func floatingCounter(
        _ key: SeriesKey,
        label: String,
        dimensions: [(String, String)],
        factory: any MetricsFactory
    ) -> FloatingPointCounter {
        if let existing = self.floatingCounters[key] { return existing }
        let created = FloatingPointCounter(label: label, dimensions: dimensions, factory: factory)
        self.floatingCounters[key] = created
        return created
    }

    mutating func meter(
        _ key: SeriesKey,
        label: String,
        dimensions: [(String, String)],
        factory: any MetricsFactory
    ) -> Meter {
        if let existing = self.meters[key] { return existing }
        let created = Meter(label: label, dimensions: dimensions, factory: factory)
        self.meters[key] = created
        return created
    }

    /// The increase since the last publish; a value that went down (a reset) counts from zero.
    mutating func advanceCount(_ key: SeriesKey, to value: UInt64) -> UInt64 {
        let previous = self.publishedCounts[key] ?? 0
        self.publishedCounts[key] = value
        return value >= previous ? value - previous : value
    }

    /// The increase since the last publish; a sum that went down (a reset) counts from zero.
    mutating func advanceSum(_ key: SeriesKey, to value: Duration) -> Duration {
        let previous = self.publishedSums[key] ?? .zero
        self.publishedSums[key] = value
        return value >= previous ? value - previous : value
    }
}
