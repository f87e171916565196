/// Owns every metric family of a process under one name prefix, and writes them in the Prometheus text
/// exposition format 0.0.4.
///
/// Names get the prefix, the unit suffix (``MetricUnit``) and, for counters, `_total`. Labels are declared when
/// the family is registered, and each family holds at most `maxSeries` label combinations.
///
/// ```swift
/// let registry = MetricsRegistry(prefix: "pool")
/// let closed = try registry.counter("connections_closed", help: "Connections closed.", labelNames: ["reason"])
/// try closed.labels("idle_timeout").increment()
/// let wait = try registry.histogram("acquire_wait", help: "Time to get a connection.")  // _seconds
/// try wait.labels().record(.milliseconds(2))
/// let body = registry.prometheusExposition()  // serve with MetricsRegistry.prometheusContentType
/// ```
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of ``prometheusExposition()``.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The default number of series a family may hold.
    public static let defaultMaxSeries = 64

    /// The prefix of every name, without the joining underscore; empty for none.
    public let prefix: String
    private let families = LockedValue<[String: any RegisteredFamily]>([:])

    /// Creates an empty registry.
    ///
    /// - Parameter prefix: Put before every name with an underscore, for example `pool` gives `pool_...`.
    public init(prefix: String = "") {
        self.prefix = prefix
    }

    // MARK: - Registration

    /// Registers (or finds, when defined identically) a counter family; its name ends in `_total`.
    public func counter(
        _ name: String,
        unit: MetricUnit = .none,
        help: String,
        labelNames: [String] = [],
        maxSeries: Int = MetricsRegistry.defaultMaxSeries
    ) throws(MetricsRegistryError) -> MetricFamily<Counter> {
        let definition = try self.define(
            name,
            unit: unit,
            type: .counter,
            help: help,
            labelNames: labelNames,
            maxSeries: maxSeries,
            buckets: []
        )
        return try self.register(definition) {
            MetricFamily(definition: definition, makeSeries: { Counter(name: $0) }) { .counter($0.value) }
        }
    }

    /// Registers (or finds, when defined identically) a gauge family.
    public func gauge(
        _ name: String,
        unit: MetricUnit = .none,
        help: String,
        labelNames: [String] = [],
        maxSeries: Int = MetricsRegistry.defaultMaxSeries
    ) throws(MetricsRegistryError) -> MetricFamily<Gauge> {
        let definition = try self.define(
            name,
            unit: unit,
            type: .gauge,
            help: help,
            labelNames: labelNames,
            maxSeries: maxSeries,
            buckets: []
        )
        return try self.register(definition) {
            MetricFamily(definition: definition, makeSeries: { Gauge(name: $0) }) { .gauge($0.value) }
        }
    }

    /// Registers (or finds, when defined identically) a latency histogram family with fixed buckets in seconds.
    ///
    /// Histograms hold latencies, so the name always ends in `_seconds`.
    ///
    /// - Parameter buckets: Upper bounds in seconds, strictly increasing; `+Inf` is added.
    public func histogram(
        _ name: String,
        help: String,
        labelNames: [String] = [],
        buckets: [Double] = MetricsRegistry.defaultLatencyBuckets,
        maxSeries: Int = MetricsRegistry.defaultMaxSeries
    ) throws(MetricsRegistryError) -> MetricFamily<LatencyHistogram> {
        let definition = try self.define(
            name,
            unit: .seconds,
            type: .histogram,
            help: help,
            labelNames: labelNames,
            maxSeries: maxSeries,
            buckets: buckets
        )
        return try self.register(definition) {
            MetricFamily(definition: definition, makeSeries: { LatencyHistogram(name: $0) }) {
                .histogram($0.snapshot())
            }
        }
    }

    /// Latency bucket bounds in seconds, from 100 µs to 10 s.
    public static let defaultLatencyBuckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    // MARK: - Exposition

    /// Every family in the Prometheus text format 0.0.4, sorted by name.
    public func prometheusExposition() -> String {
        var output = ""
        for family in self.snapshot() {
            family.writePrometheus(into: &output)
        }
        return output
    }

    /// Every family and series with its value now, sorted by name; for exporters other than Prometheus text.
    public func snapshot() -> [MetricFamilySnapshot] {
        let families = self.families.withLock { families in
            families.values.sorted { $0.definition.name < $1.definition.name }
        }
        return families.map { $0.snapshot() }
    }

    /// The exported names of every registered family, sorted.
    public var familyNames: [String] {
        self.families.withLock { $0.keys.sorted() }
    }

    // MARK: - Helpers

    private func define(
        _ name: String,
        unit: MetricUnit,
        type: MetricType,
        help: String,
        labelNames: [String],
        maxSeries: Int,
        buckets: [Double]
    ) throws(MetricsRegistryError) -> FamilyDefinition {
        var fullName = self.prefix.isEmpty ? name : "\(self.prefix)_\(name)"
        if unit != .none, !fullName.hasSuffix("_\(unit.rawValue)") {
            fullName += "_\(unit.rawValue)"
        }
        if type == .counter, !fullName.hasSuffix("_total") {
            fullName += "_total"
        }
        guard PrometheusText.isValidMetricName(fullName) else { throw .invalidMetricName(fullName) }
        var seen: Set<String> = []
        for label in labelNames {
            guard PrometheusText.isValidLabelName(label), !(type == .histogram && label == "le"),
                seen.insert(label).inserted
            else {
                throw .invalidLabelName(metric: fullName, label: label)
            }
        }
        if type == .histogram {
            let valid =
                buckets.allSatisfy { $0.isFinite && $0 > 0 } && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }
            guard valid else { throw .invalidBuckets(metric: fullName) }
        }
        return FamilyDefinition(
            name: fullName,
            help: help,
            type: type,
            labelNames: labelNames,
            maxSeries: max(1, maxSeries),
            buckets: buckets
        )
    }

    private func register<Metric>(
        _ definition: FamilyDefinition,
        make: () -> MetricFamily<Metric>
    ) throws(MetricsRegistryError) -> MetricFamily<Metric> {
        let result: Result<MetricFamily<Metric>, MetricsRegistryError> = self.families.withLock { families in
            if let existing = families[definition.name] {
                guard existing.definition == definition, let family = existing as? MetricFamily<Metric> else {
                    return .failure(.conflictingRegistration(definition.name))
                }
                return .success(family)
            }
            let family = make()
            families[definition.name] = family
            return .success(family)
        }
        return try result.get()
    }
}
