/// The base unit a metric is measured in; its suffix ends the exported name, as Prometheus asks.
///
/// ```swift
/// let sent = try registry.counter("sent", unit: .bytes, help: "Bytes sent to backends.")
/// // exported as pool_sent_bytes_total
/// ```
public enum MetricUnit: String, Sendable, Hashable {
    /// A plain count: no suffix.
    case none = ""
    /// Seconds: `_seconds`.
    case seconds
    /// Bytes: `_bytes`.
    case bytes
    /// A ratio between 0 and 1: `_ratio`.
    case ratio
}
