/// The value of one series at the moment it was read.
///
/// ```swift
/// switch series.value {
/// case .counter(let count): print("count", count)
/// case .gauge(let value): print("value", value)
/// case .histogram(let snapshot): print("p99", snapshot.p99)
/// }
/// ```
public enum MetricValue: Sendable {
    /// A counter's count.
    case counter(UInt64)
    /// A gauge's value.
    case gauge(Int64)
    /// A histogram's merged view.
    case histogram(HistogramSnapshot)
}
