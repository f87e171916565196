import HealthMonitor
import PoolCoreTestKit
import PoolMetrics
import PoolObservability
import Testing

@Suite struct HealthMonitorMetricsTests {
    typealias Metrics = HealthMonitorMetrics<String, MockClock.Instant>

    @Test func verdictsAndEjectionsSetBackendHealthy() throws {
        let registry = MetricsRegistry()
        let metrics = try Metrics(registry: registry)
        try metrics.addBackend("a:6379")
        try metrics.addBackend("b:6379", isHealthy: false)
        var lines = registry.sampleLines
        #expect(lines.contains(#"backend_healthy{backend="a:6379"} 1"#))
        #expect(lines.contains(#"backend_healthy{backend="b:6379"} 0"#))
        #expect(lines.contains(#"backend_ejections_total{backend="a:6379"} 0"#))

        metrics.record(.healthy("b:6379"))
        metrics.record(.ejected("a:6379", until: MockClock.Instant(offset: .seconds(30))))
        lines = registry.sampleLines
        #expect(lines.contains(#"backend_healthy{backend="a:6379"} 0"#))
        #expect(lines.contains(#"backend_healthy{backend="b:6379"} 1"#))
        #expect(lines.contains(#"backend_ejections_total{backend="a:6379"} 1"#))

        metrics.record(.unhealthy("a:6379"))
        metrics.record(.restored("a:6379"))
        #expect(registry.sampleLines.contains(#"backend_healthy{backend="a:6379"} 0"#), "still failing checks")
        metrics.record(.healthy("a:6379"))
        metrics.record(.ejected("a:6379", until: MockClock.Instant(offset: .seconds(90))))
        metrics.record(.restored("a:6379"))
        lines = registry.sampleLines
        #expect(lines.contains(#"backend_healthy{backend="a:6379"} 1"#))
        #expect(lines.contains(#"backend_ejections_total{backend="a:6379"} 2"#))
    }

    @Test func aBackendFirstSeenInAnEventIsExported() async throws {
        let registry = MetricsRegistry()
        let metrics = try Metrics(registry: registry, backendLabel: { "redis://\($0)" })
        let (stream, continuation) = AsyncStream<HealthEvent<String, MockClock.Instant>>.makeStream()
        continuation.yield(.unhealthy("c"))
        continuation.yield(.panicEntered)
        continuation.finish()
        await metrics.run(events: stream)
        let lines = registry.sampleLines
        #expect(lines.contains(#"backend_healthy{backend="redis://c"} 0"#))
        #expect(lines.contains("health_panic 1"))
        metrics.record(.panicLeft)
        #expect(registry.sampleLines.contains("health_panic 0"))
    }

    @Test func backendsBeyondTheBoundAreNotExported() throws {
        let registry = MetricsRegistry()
        let metrics = try Metrics(registry: registry, maxBackends: 1)
        try metrics.addBackend("a")
        #expect(throws: MetricsRegistryError.self) { try metrics.addBackend("b") }
        metrics.record(.ejected("b", until: MockClock.Instant(offset: .seconds(1))))
        #expect(!registry.prometheusExposition().contains(#"backend="b""#))
    }

    @Test func instrumentedChecksAreCountedByResult() async throws {
        let registry = MetricsRegistry()
        let metrics = try Metrics(registry: registry)
        let probe = metrics.instrument(probe: { endpoint in
            if endpoint == "down" { throw MockError("refused") }
            if endpoint == "slow" { throw CancellationError() }
        })
        try await probe("up")
        try await probe("up")
        await #expect(throws: MockError.self) { try await probe("down") }
        await #expect(throws: CancellationError.self) { try await probe("slow") }
        let healthCheck = metrics.instrument(healthCheck: { $0 == "up" })
        #expect(await healthCheck("up"))
        #expect(await !healthCheck("down"))
        let lines = registry.sampleLines
        #expect(lines.contains(#"health_checks_total{result="healthy"} 3"#))
        #expect(lines.contains(#"health_checks_total{result="unhealthy"} 2"#))
        #expect(lines.contains(#"health_checks_total{result="cancelled"} 1"#))
    }

    @Test func aRealMonitorsEjectionReachesTheMetrics() async throws {
        let registry = MetricsRegistry()
        let metrics = try Metrics(registry: registry)
        let monitor = HealthMonitor<String, MockClock>(
            configuration: HealthMonitorConfiguration(
                activeChecks: nil,
                outlierDetection: .twemproxy(serverFailureLimit: 2),
                panicThreshold: 0
            ),
            clock: MockClock(),
            probe: { _ in }
        )
        var events = monitor.events.makeAsyncIterator()
        monitor.addEndpoint("a")
        monitor.addEndpoint("b")
        try metrics.addBackend("a")
        try metrics.addBackend("b")
        monitor.record("a", success: false)
        monitor.record("a", success: false)
        while let event = await events.next() {
            metrics.record(event)
            if case .ejected = event { break }
        }
        let lines = registry.sampleLines
        #expect(lines.contains(#"backend_healthy{backend="a"} 0"#))
        #expect(lines.contains(#"backend_healthy{backend="b"} 1"#))
        #expect(lines.contains(#"backend_ejections_total{backend="a"} 1"#))
        #expect(lines.contains(#"backend_ejections_total{backend="b"} 0"#))
    }
}
