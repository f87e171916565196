import Foundation
import Testing

@testable import PoolMetrics

/// Feeds the exposition to the reference parser, Python's `prometheus_client` (installed by `Scripts/bootstrap`).
@Suite struct PrometheusParserTests {
    private static let parserScript = """
        import json, sys
        try:
            from prometheus_client.parser import text_string_to_metric_families
        except ImportError as error:
            sys.stderr.write("prometheus_client is not installed (%s): " % error)
            sys.stderr.write("run `python3 -m pip install prometheus_client`")
            sys.exit(3)
        with open(sys.argv[1]) as handle:
            text = handle.read()
        families = {}
        for family in text_string_to_metric_families(text):
            families[family.name] = {
                "type": family.type,
                "help": family.documentation,
                "samples": [[s.name, s.labels, s.value] for s in family.samples],
            }
        with open(sys.argv[2], "w") as out:
            json.dump(families, out)
        """

    /// Each parsed family by name: type, help and samples as `[name, labels, value]`.
    private func parse(_ exposition: String) throws -> [String: [String: Any]] {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("pool-metrics-\(UUID().uuidString).prom")
        try exposition.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let outputFile = file.appendingPathExtension("json")
        let logFile = file.appendingPathExtension("log")
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: logFile)
        }
        let python: ChildProcess
        do {
            python = try ChildProcess(
                program: "python3",
                arguments: ["-c", Self.parserScript, file.path, outputFile.path],
                logFile: logFile
            )
        } catch {
            Issue.record("python3 is needed to validate the exposition (Scripts/bootstrap installs it): \(error)")
            throw error
        }
        let status = python.waitForExit()
        let output = python.log
        try #require(status != 3, "\(output)")
        try #require(status == 0, "prometheus_client rejected the exposition (exit \(status)): \(output)")
        let stdout = try Data(contentsOf: outputFile)
        let decoded = try JSONSerialization.jsonObject(with: stdout)
        return try #require(decoded as? [String: [String: Any]])
    }

    private func samples(_ family: [String: Any]?) -> [(name: String, labels: [String: String], value: Double)] {
        let raw = family?["samples"] as? [[Any]] ?? []
        return raw.compactMap { sample in
            guard sample.count == 3, let name = sample[0] as? String, let labels = sample[1] as? [String: String],
                let value = (sample[2] as? NSNumber)?.doubleValue
            else { return nil }
            return (name, labels, value)
        }
    }

    @Test func referenceParserReadsEveryFamilyTypeAndValue() throws {
        let registry = MetricsRegistry(prefix: "pool")
        let closed = try registry.counter("connections_closed", help: "Connections closed.", labelNames: ["reason"])
        try closed.labels("idle_timeout").increment(by: 3)
        try closed.labels("error").increment()
        let sent = try registry.counter("sent", unit: .bytes, help: "Bytes sent to backends.")
        try sent.labels().increment(by: 4_096)
        let connections = try registry.gauge("connections", help: "Connections by state.", labelNames: ["state"])
        try connections.labels("idle").set(to: 4)
        try connections.labels("used").set(to: -1)
        let wait = try registry.histogram(
            "acquire_wait",
            help: "Time spent waiting for a connection.\nIn seconds.",
            labelNames: ["pool"]
        )
        let main = try wait.labels("main \"primary\"")
        for milliseconds in 1...100 {
            main.record(.milliseconds(milliseconds))
        }
        _ = try registry.histogram("dial", help: "Dial time.", labelNames: ["backend"])

        let families = try self.parse(registry.prometheusExposition())

        #expect(
            Set(families.keys)
                == [
                    "pool_connections_closed", "pool_sent_bytes", "pool_connections", "pool_acquire_wait_seconds",
                    "pool_dial_seconds",
                ]
        )
        #expect(families["pool_connections_closed"]?["type"] as? String == "counter")
        #expect(families["pool_connections"]?["type"] as? String == "gauge")
        #expect(families["pool_acquire_wait_seconds"]?["type"] as? String == "histogram")
        #expect(
            families["pool_acquire_wait_seconds"]?["help"] as? String
                == "Time spent waiting for a connection.\nIn seconds."
        )

        let closedSamples = self.samples(families["pool_connections_closed"])
        #expect(closedSamples.count == 2)
        #expect(closedSamples.allSatisfy { $0.name == "pool_connections_closed_total" })
        #expect(closedSamples.first { $0.labels["reason"] == "idle_timeout" }?.value == 3)
        #expect(self.samples(families["pool_sent_bytes"]).first?.value == 4_096)
        #expect(self.samples(families["pool_connections"]).first { $0.labels["state"] == "used" }?.value == -1)

        let waitSamples = self.samples(families["pool_acquire_wait_seconds"])
        #expect(waitSamples.allSatisfy { $0.labels["pool"] == "main \"primary\"" })
        let buckets = waitSamples.filter { $0.name == "pool_acquire_wait_seconds_bucket" }
        #expect(buckets.count == MetricsRegistry.defaultLatencyBuckets.count + 1)
        #expect(buckets.first { $0.labels["le"] == "0.01" }?.value == 10)
        #expect(buckets.first { $0.labels["le"] == "0.05" }?.value == 50)
        #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == 100)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        let sum = waitSamples.first { $0.name == "pool_acquire_wait_seconds_sum" }?.value ?? 0
        #expect(abs(sum - 5.05) < 1e-9)
        #expect(waitSamples.first { $0.name == "pool_acquire_wait_seconds_count" }?.value == 100)
        #expect(self.samples(families["pool_dial_seconds"]).isEmpty)
    }
}
