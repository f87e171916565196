/// All series of one metric: one name, one help text, label names declared up front and a bound on how many
/// distinct label-value combinations may exist.
///
/// Look a series up once and keep it: the lookup takes a lock, updating the returned metric does not.
///
/// ```swift
/// let closed = try registry.counter("connections_closed", help: "Closed connections.", labelNames: ["reason"])
/// let idleTimeouts = try closed.labels("idle_timeout")
/// idleTimeouts.increment()
/// ```
public final class MetricFamily<Metric: AnyObject & Sendable>: Sendable {
    /// The exported name, with prefix and unit (and `_total` for counters).
    public let name: String
    /// The `# HELP` text.
    public let help: String
    /// The Prometheus type.
    public let type: MetricType
    /// The label names, in the order label values are given.
    public let labelNames: [String]
    /// The most series this family will create.
    public let maxSeries: Int

    let definition: FamilyDefinition
    private let makeSeries: @Sendable (String) -> Metric
    private let readValue: @Sendable (Metric) -> MetricValue
    private let series: LockedValue<[[String]: Metric]>

    init(
        definition: FamilyDefinition,
        makeSeries: @escaping @Sendable (String) -> Metric,
        readValue: @escaping @Sendable (Metric) -> MetricValue
    ) {
        self.definition = definition
        self.name = definition.name
        self.help = definition.help
        self.type = definition.type
        self.labelNames = definition.labelNames
        self.maxSeries = definition.maxSeries
        self.makeSeries = makeSeries
        self.readValue = readValue
        var initial: [[String]: Metric] = [:]
        if definition.labelNames.isEmpty {
            initial[[]] = makeSeries(definition.name)
        }
        self.series = LockedValue(initial)
    }

    /// The series for these label values, created on first use.
    ///
    /// - Throws: ``MetricsRegistryError/labelCountMismatch(metric:expected:got:)`` or, once the family holds
    ///   ``maxSeries`` series, ``MetricsRegistryError/tooManySeries(metric:limit:)``.
    public func labels(_ values: String...) throws(MetricsRegistryError) -> Metric {
        try self.labels(values)
    }

    /// The series for these label values, created on first use.
    public func labels(_ values: [String]) throws(MetricsRegistryError) -> Metric {
        guard values.count == self.labelNames.count else {
            throw .labelCountMismatch(metric: self.name, expected: self.labelNames.count, got: values.count)
        }
        let result: Result<Metric, MetricsRegistryError> = self.series.withLock { series in
            if let existing = series[values] { return .success(existing) }
            guard series.count < self.maxSeries else {
                return .failure(.tooManySeries(metric: self.name, limit: self.maxSeries))
            }
            let created = self.makeSeries(self.name)
            series[values] = created
            return .success(created)
        }
        return try result.get()
    }

    /// How many series exist now.
    public var seriesCount: Int {
        self.series.withLock { $0.count }
    }

    /// Every series and its value now, sorted by label values.
    public func snapshot() -> MetricFamilySnapshot {
        let series = self.series.withLock { series in
            series.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        }
        return MetricFamilySnapshot(
            name: self.name,
            help: self.help,
            type: self.type,
            labelNames: self.labelNames,
            buckets: self.definition.buckets,
            series: series.map { MetricSeriesSnapshot(labelValues: $0.key, value: self.readValue($0.value)) }
        )
    }
}
