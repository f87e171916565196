import MetricsTestKit
import PoolMetrics
import PoolMetricsSwiftMetrics
import Testing

@Suite struct SwiftMetricsBridgeTests {
    @Test func countersForwardOnlyWhatChangedSinceTheLastPublish() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let closed = try registry.counter("connections_closed", help: "Closed.", labelNames: ["reason"])
        let idle = try closed.labels("idle_timeout")
        idle.increment(by: 3)
        let backend = TestMetrics()
        let bridge = SwiftMetricsBridge(registry: registry, factory: backend)

        bridge.publish()
        let forwarded = try backend.expectCounter("pool_connections_closed_total", [("reason", "idle_timeout")])
        #expect(forwarded.totalValue == 3)

        bridge.publish()
        #expect(forwarded.totalValue == 3)

        idle.increment(by: 2)
        bridge.publish()
        #expect(forwarded.totalValue == 5)
        #expect(forwarded.values == [3, 2])
    }

    @Test func gaugesForwardTheirCurrentValue() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let connections = try registry.gauge("connections", help: "By state.", labelNames: ["state"])
        try connections.labels("idle").set(to: 4)
        try connections.labels("used").set(to: 2)
        let backend = TestMetrics()
        let bridge = SwiftMetricsBridge(registry: registry, factory: backend)

        bridge.publish()
        #expect(try backend.expectMeter("pool_connections", [("state", "idle")]).lastValue == 4)
        try connections.labels("idle").decrement()
        bridge.publish()
        #expect(try backend.expectMeter("pool_connections", [("state", "idle")]).lastValue == 3)
        #expect(try backend.expectMeter("pool_connections", [("state", "used")]).lastValue == 2)
    }

    @Test func histogramsForwardCountSumAndQuantilesInSeconds() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let wait = try registry.histogram("acquire_wait", help: "Wait.")
        let histogram = try wait.labels()
        for milliseconds in 1...100 {
            histogram.record(.milliseconds(milliseconds))
        }
        let backend = TestMetrics()
        let bridge = SwiftMetricsBridge(registry: registry, factory: backend, quantiles: [0.5, 0.99])

        bridge.publish()
        #expect(try backend.expectCounter("pool_acquire_wait_seconds_count").totalValue == 100)
        let median = try backend.expectMeter("pool_acquire_wait_seconds", [("quantile", "0.5")]).lastValue ?? 0
        #expect(abs(median - 0.050) < 0.0001)
        let p99 = try backend.expectMeter("pool_acquire_wait_seconds", [("quantile", "0.99")]).lastValue ?? 0
        #expect(abs(p99 - 0.099) < 0.0001)

        histogram.record(.milliseconds(500))
        bridge.publish()
        #expect(try backend.expectCounter("pool_acquire_wait_seconds_count").totalValue == 101)
    }

    @Test(.timeLimit(.minutes(1)))
    func runPublishesUntilCancelled() async throws {
        let registry = MetricsRegistry(prefix: "pool")
        let requests = try registry.counter("requests", help: "Requests.")
        try requests.labels().increment(by: 7)
        let backend = TestMetrics()
        let bridge = SwiftMetricsBridge(registry: registry, factory: backend)

        let task = Task { try await bridge.run(every: .seconds(3_600)) }
        // The first publish happens before the first wait; poll for it instead of sleeping a guessed time.
        while (try? backend.expectCounter("pool_requests_total"))?.totalValue != 7 {
            await Task.yield()
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
