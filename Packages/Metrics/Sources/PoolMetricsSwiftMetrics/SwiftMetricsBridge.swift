import CoreMetrics
import PoolMetrics

/// Publishes a ``PoolMetrics/MetricsRegistry`` through swift-metrics, so a process that already runs a
/// swift-metrics backend (Prometheus, StatsD, OpenTelemetry) sees the pool's values there too.
///
/// Recording stays on PoolMetrics' own cheap primitives; the bridge reads the registry when asked and forwards:
/// counters as `Counter` increments (the change since the last publish), gauges as `Meter` values, and each
/// histogram as a `<name>_count` counter, a `<name>_sum` floating-point counter in seconds and one `Meter` per
/// quantile, labelled `quantile`, in seconds.
///
/// ```swift
/// let bridge = SwiftMetricsBridge(registry: registry)  // uses MetricsSystem.factory
/// try await bridge.run(every: .seconds(10))             // or call bridge.publish() yourself
/// ```
public final class SwiftMetricsBridge: Sendable {
    /// The quantiles published for every histogram, between 0 and 1.
    public let quantiles: [Double]
    private let registry: MetricsRegistry
    private let factory: any MetricsFactory
    private let state = LockedValue(SwiftMetricsBridgeState())

    /// Creates a bridge; nothing is published until ``publish()`` or ``run(every:clock:)``.
    ///
    /// - Parameters:
    ///   - registry: The metrics to publish.
    ///   - factory: The swift-metrics backend; by default the one bootstrapped in `MetricsSystem`.
    ///   - quantiles: The histogram quantiles to publish as meters.
    public init(
        registry: MetricsRegistry,
        factory: any MetricsFactory = MetricsSystem.factory,
        quantiles: [Double] = [0.5, 0.9, 0.95, 0.99, 0.999]
    ) {
        self.registry = registry
        self.factory = factory
        self.quantiles = quantiles
    }

    /// Reads every series once and forwards what changed since the previous call.
    public func publish() {
        let families = self.registry.snapshot()
        self.state.withLock { state in
            for family in families {
                for series in family.series {
                    self.publish(family: family, series: series, state: &state)
                }
            }
        }
    }

    /// Publishes every `interval` until the task is cancelled.
    public func run<C: Clock>(every interval: C.Duration, clock: C) async throws {
        while !Task.isCancelled {
            self.publish()
            try await clock.sleep(for: interval)
        }
    }

    /// Publishes every `interval` on the continuous clock until the task is cancelled.
    public func run(every interval: Duration) async throws {
        try await self.run(every: interval, clock: ContinuousClock())
    }

    private func publish(
        family: MetricFamilySnapshot,
        series: MetricSeriesSnapshot,
        state: inout SwiftMetricsBridgeState
    ) {
        let key = SwiftMetricsBridgeState.SeriesKey(name: family.name, labelValues: series.labelValues)
        let dimensions = family.labels(of: series)
        switch series.value {
        case .counter(let count):
            let counter = state.counter(key, label: family.name, dimensions: dimensions, factory: self.factory)
            let delta = state.advanceCount(key, to: count)
            if delta > 0 { counter.increment(by: Int64(clamping: delta)) }

        case .gauge(let value):
            state.meter(key, label: family.name, dimensions: dimensions, factory: self.factory).set(value)

        case .histogram(let snapshot):
            let countKey = SwiftMetricsBridgeState.SeriesKey(
                name: family.name + "_count",
                labelValues: series.labelValues
            )
            let counter = state.counter(countKey, label: countKey.name, dimensions: dimensions, factory: self.factory)
            let countDelta = state.advanceCount(countKey, to: snapshot.count)
            if countDelta > 0 { counter.increment(by: Int64(clamping: countDelta)) }

            let sumKey = SwiftMetricsBridgeState.SeriesKey(name: family.name + "_sum", labelValues: series.labelValues)
            let sum = state.floatingCounter(sumKey, label: sumKey.name, dimensions: dimensions, factory: self.factory)
            let sumDelta = state.advanceSum(sumKey, to: snapshot.sum)
            if sumDelta > .zero { sum.increment(by: Self.seconds(sumDelta)) }

            for quantile in self.quantiles {
                let label = "\(quantile)"
                let quantileKey = SwiftMetricsBridgeState.SeriesKey(
                    name: family.name,
                    labelValues: series.labelValues + ["quantile=" + label]
                )
                let meter = state.meter(
                    quantileKey,
                    label: family.name,
                    dimensions: dimensions + [("quantile", label)],
                    factory: self.factory
                )
                meter.set(Self.seconds(snapshot.value(atPercentile: quantile * 100)))
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
