import Testing

@testable import PoolMetrics

@Suite struct MetricsRegistryTests {
    @Test func namesGetPrefixUnitAndTotal() throws {
        let registry = MetricsRegistry(prefix: "pool")
        #expect(try registry.counter("requests", help: "Requests.").name == "pool_requests_total")
        #expect(try registry.counter("sent", unit: .bytes, help: "Bytes sent.").name == "pool_sent_bytes_total")
        #expect(try registry.counter("errors_total", help: "Errors.").name == "pool_errors_total")
        #expect(try registry.gauge("connections", help: "Connections.").name == "pool_connections")
        #expect(try registry.histogram("acquire_wait", help: "Wait.").name == "pool_acquire_wait_seconds")
        #expect(try registry.histogram("dial_seconds", help: "Dial.").name == "pool_dial_seconds")
        #expect(MetricsRegistry().prefix.isEmpty)
        #expect(try MetricsRegistry().gauge("up", help: "Up.").name == "up")
    }

    @Test func sameDefinitionFindsTheSameFamily() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let first = try registry.counter("requests", help: "Requests.", labelNames: ["class"])
        let second = try registry.counter("requests", help: "Requests.", labelNames: ["class"])
        #expect(first === second)
        try first.labels("read").increment()
        #expect(try second.labels("read").value == 1)
    }

    @Test func conflictingDefinitionsAreRefused() throws {
        let registry = MetricsRegistry(prefix: "pool")
        _ = try registry.counter("requests", help: "Requests.", labelNames: ["class"])
        #expect(throws: MetricsRegistryError.conflictingRegistration("pool_requests_total")) {
            try registry.counter("requests", help: "Requests.", labelNames: ["command"])
        }
        _ = try registry.gauge("wait", unit: .seconds, help: "Wait.")
        #expect(throws: MetricsRegistryError.conflictingRegistration("pool_wait_seconds")) {
            try registry.histogram("wait", help: "Wait.")
        }
    }

    @Test func invalidNamesAndLabelsAreRefused() {
        let registry = MetricsRegistry(prefix: "pool")
        #expect(throws: MetricsRegistryError.invalidMetricName("pool_bad-name_total")) {
            try registry.counter("bad-name", help: "")
        }
        #expect(throws: MetricsRegistryError.invalidMetricName("9lives")) {
            try MetricsRegistry().gauge("9lives", help: "")
        }
        #expect(throws: MetricsRegistryError.invalidLabelName(metric: "pool_a", label: "__reserved")) {
            try registry.gauge("a", help: "", labelNames: ["__reserved"])
        }
        #expect(throws: MetricsRegistryError.invalidLabelName(metric: "pool_b", label: "x")) {
            try registry.gauge("b", help: "", labelNames: ["x", "x"])
        }
        #expect(throws: MetricsRegistryError.invalidLabelName(metric: "pool_c_seconds", label: "le")) {
            try registry.histogram("c", help: "", labelNames: ["le"])
        }
        #expect(throws: MetricsRegistryError.invalidBuckets(metric: "pool_d_seconds")) {
            try registry.histogram("d", help: "", buckets: [0.1, 0.05])
        }
        #expect(throws: MetricsRegistryError.invalidBuckets(metric: "pool_e_seconds")) {
            try registry.histogram("e", help: "", buckets: [0.1, .infinity])
        }
    }

    @Test func labelValuesAreBoundedPerFamily() throws {
        let registry = MetricsRegistry(prefix: "proxy")
        let requests = try registry.counter("requests", help: "Requests.", labelNames: ["key"], maxSeries: 3)
        for key in ["a", "b", "c"] {
            try requests.labels(key).increment()
        }
        #expect(throws: MetricsRegistryError.tooManySeries(metric: "proxy_requests_total", limit: 3)) {
            try requests.labels("d")
        }
        // Existing series stay reachable once the bound is hit.
        try requests.labels("a").increment()
        #expect(try requests.labels("a").value == 2)
        #expect(requests.seriesCount == 3)
        #expect(throws: MetricsRegistryError.labelCountMismatch(metric: "proxy_requests_total", expected: 1, got: 2)) {
            try requests.labels("a", "b")
        }
    }

    @Test func exposesCountersAndGaugesInTextFormat() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let closed = try registry.counter("connections_closed", help: "Connections closed.", labelNames: ["reason"])
        try closed.labels("idle_timeout").increment(by: 3)
        try closed.labels("error").increment()
        let connections = try registry.gauge("connections", help: "Connections by state.", labelNames: ["state"])
        try connections.labels("idle").set(to: 4)

        let expected = """
            # HELP pool_connections Connections by state.
            # TYPE pool_connections gauge
            pool_connections{state="idle"} 4
            # HELP pool_connections_closed_total Connections closed.
            # TYPE pool_connections_closed_total counter
            pool_connections_closed_total{reason="error"} 1
            pool_connections_closed_total{reason="idle_timeout"} 3

            """
        #expect(registry.prometheusExposition() == expected)
    }

    @Test func exposesHistogramsWithCumulativeBucketsInSeconds() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let wait = try registry.histogram("acquire_wait", help: "Acquire wait.", buckets: [0.001, 0.01, 0.1])
        let histogram = try wait.labels()
        histogram.record(.microseconds(500))
        histogram.record(.milliseconds(5))
        histogram.record(.milliseconds(6))
        histogram.record(.milliseconds(500))

        let expected = """
            # HELP pool_acquire_wait_seconds Acquire wait.
            # TYPE pool_acquire_wait_seconds histogram
            pool_acquire_wait_seconds_bucket{le="0.001"} 1
            pool_acquire_wait_seconds_bucket{le="0.01"} 3
            pool_acquire_wait_seconds_bucket{le="0.1"} 3
            pool_acquire_wait_seconds_bucket{le="+Inf"} 4
            pool_acquire_wait_seconds_sum 0.5115
            pool_acquire_wait_seconds_count 4

            """
        #expect(registry.prometheusExposition() == expected)
    }

    @Test func escapesHelpAndLabelValues() throws {
        let registry = MetricsRegistry()
        let family = try registry.gauge("g", help: "line one\nback\\slash", labelNames: ["v"])
        try family.labels("say \"hi\"\n\\").set(to: 1)
        let text = registry.prometheusExposition()
        #expect(text.contains("# HELP g line one\\nback\\\\slash\n"))
        #expect(text.contains("g{v=\"say \\\"hi\\\"\\n\\\\\"} 1\n"))
    }

    @Test func familyNamesAreSorted() throws {
        let registry = MetricsRegistry(prefix: "x")
        _ = try registry.gauge("b", help: "")
        _ = try registry.counter("a", help: "")
        #expect(registry.familyNames == ["x_a_total", "x_b"])
    }

    @Test func snapshotListsEveryFamilyAndSeriesInOrder() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let closed = try registry.counter("closed", help: "Closed.", labelNames: ["reason"])
        try closed.labels("b").increment(by: 2)
        try closed.labels("a").increment()
        try registry.histogram("wait", help: "Wait.").labels().record(.milliseconds(1))

        let families = registry.snapshot()
        #expect(families.map(\.name) == ["pool_closed_total", "pool_wait_seconds"])
        let counters = try #require(families.first)
        #expect(counters.type == .counter)
        #expect(counters.series.map(\.labelValues) == [["a"], ["b"]])
        #expect(counters.labels(of: counters.series[1]).map { "\($0)=\($1)" } == ["reason=b"])
        guard case .counter(let count) = counters.series[1].value else {
            Issue.record("expected a counter value, got \(counters.series[1].value)")
            return
        }
        #expect(count == 2)

        let histograms = try #require(families.last)
        #expect(histograms.buckets == MetricsRegistry.defaultLatencyBuckets)
        guard case .histogram(let snapshot) = histograms.series.first?.value else {
            Issue.record("expected a histogram value")
            return
        }
        #expect(snapshot.count == 1)
        #expect(snapshot.sum == .milliseconds(1))
    }
}
