/// A family as read by ``MetricsRegistry/snapshot()``: what an exporter needs to publish it elsewhere.
///
/// ```swift
/// for family in registry.snapshot() {
///     for series in family.series {
///         print(family.name, family.labels(of: series), series.value)
///     }
/// }
/// ```
public struct MetricFamilySnapshot: Sendable {
    /// The exported name, with prefix, unit and, for counters, `_total`.
    public let name: String
    /// The help text.
    public let help: String
    /// The Prometheus type.
    public let type: MetricType
    /// The declared label names.
    public let labelNames: [String]
    /// Histogram bucket upper bounds in seconds (empty for counters and gauges).
    public let buckets: [Double]
    /// Every series, sorted by label values.
    public let series: [MetricSeriesSnapshot]

    /// A series' labels as name-value pairs.
    public func labels(of series: MetricSeriesSnapshot) -> [(String, String)] {
        Array(zip(self.labelNames, series.labelValues))
    }
}
