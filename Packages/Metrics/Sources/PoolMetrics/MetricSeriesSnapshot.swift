/// One series of a family as read by ``MetricsRegistry/snapshot()``: its label values and its value.
///
/// ```swift
/// let family = try registry.counter("requests", help: "Requests.", labelNames: ["class"]).snapshot()
/// for series in family.series { print(series.labelValues, series.value) }
/// ```
public struct MetricSeriesSnapshot: Sendable {
    /// The label values, in the family's ``MetricFamilySnapshot/labelNames`` order.
    public let labelValues: [String]
    /// The value when read.
    public let value: MetricValue
}
