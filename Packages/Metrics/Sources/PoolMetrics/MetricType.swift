/// The Prometheus type of a metric family, written on its `# TYPE` line.
///
/// ```swift
/// let family = try registry.gauge("connections", help: "Connections.")
/// assert(family.type == .gauge)
/// ```
public enum MetricType: String, Sendable, Hashable {
    /// Only goes up; exported with `_total`.
    case counter
    /// Goes up and down.
    case gauge
    /// Fixed buckets in seconds, with `_bucket`, `_sum` and `_count` samples.
    case histogram
}
