/// Why a registry refused to define a metric family or to create a series in one.
///
/// ```swift
/// do {
///     try requests.labels(userSuppliedKey).increment()
/// } catch MetricsRegistryError.tooManySeries {
///     try requests.labels("other").increment()  // keep label values bounded
/// }
/// ```
public enum MetricsRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is not a valid Prometheus metric name.
    case invalidMetricName(String)
    /// A label name is not valid, is reserved (`__` prefix, `le` on histograms) or is declared twice.
    case invalidLabelName(metric: String, label: String)
    /// The name is already registered with a different type, help, labels or buckets.
    case conflictingRegistration(String)
    /// Histogram buckets must be finite, positive and strictly increasing.
    case invalidBuckets(metric: String)
    /// The number of label values differs from the number of declared label names.
    case labelCountMismatch(metric: String, expected: Int, got: Int)
    /// The family already holds its maximum number of series: the label values are unbounded.
    case tooManySeries(metric: String, limit: Int)

    public var description: String {
        switch self {
        case .invalidMetricName(let name):
            return "invalid metric name '\(name)'"
        case .invalidLabelName(let metric, let label):
            return "invalid label name '\(label)' on \(metric)"
        case .conflictingRegistration(let name):
            return "\(name) is already registered with a different definition"
        case .invalidBuckets(let metric):
            return "\(metric): buckets must be finite, positive and strictly increasing"
        case .labelCountMismatch(let metric, let expected, let got):
            return "\(metric) takes \(expected) label values, got \(got)"
        case .tooManySeries(let metric, let limit):
            return "\(metric) already has its maximum of \(limit) series; label values must be bounded"
        }
    }
}
