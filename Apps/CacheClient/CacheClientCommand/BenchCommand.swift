import ArgumentParser
import CacheClient
import NIOCore
import PoolMetrics
import SocketIO

/// GET/SET through CacheClient against a bare pipelined RESPConnection baseline, same connections and
/// concurrency, interleaved in one run (Scripts/bench cache). Speed never fails it: it prints PASS or MISS.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Compare CacheClient GET/SET throughput and p99 with a bare RESPConnection pipeline.",
        shouldDisplay: false
    )

    @Option(help: "The redis-server, host:port.") var server = "127.0.0.1:6379"
    @Option(help: "Connections, for both sides.") var connections = 4
    @Option(help: "Concurrent tasks.") var tasks = 50
    @Option(help: "Requests per measurement.") var requests = 200_000
    @Option(help: "Interleaved rounds; the median is reported.") var rounds = 3
    @Option(help: "Overhead target, percent.") var target = 10.0

    struct Measurement {
        var throughput: Double
        var p99: Duration
    }

    func run() async throws {
        guard let address = CacheServer(parsing: self.server) else { throw ValidationError("bad --server") }
        var configuration = CacheClientConfiguration.highPerformance
        configuration.servers = [address]
        configuration.poolSize = self.connections
        configuration.minimumIdleConnections = self.connections
        configuration.loadBalancing = true
        configuration.maximumRequestsPerConnection = max(1, (self.tasks + self.connections - 1) / self.connections)
        let client = try CacheClient(configuration: configuration)
        print("cache bench: warming \(await client.start())")
        var bare: [RESPConnection] = []
        for _ in 0..<self.connections {
            bare.append(try await RESPConnection.connect(to: .tcp(host: address.host, port: address.port)))
        }
        let connections = bare
        let value = String(repeating: "v", count: 64)
        let keys = (0..<1_000).map { "bench:\($0)" }
        var results: [String: [Measurement]] = [:]
        for _ in 0..<self.rounds {
            for command in ["SET", "GET"] {
                results["bare \(command)", default: []].append(
                    try await self.measure { index in
                        let key = keys[index % keys.count]
                        let connection = connections[index % connections.count]
                        if command == "SET" {
                            _ = try await connection.send(["SET", key, value])
                        } else {
                            _ = try await connection.send(["GET", key])
                        }
                    }
                )
                let bytes = ByteBuffer(string: value)
                results["client \(command)", default: []].append(
                    try await self.measure { index in
                        let key = keys[index % keys.count]
                        if command == "SET" {
                            try await client.set(key, bytes)
                        } else {
                            _ = try await client.get(key)
                        }
                    }
                )
            }
        }
        for connection in connections { await connection.close() }
        await client.shutdown()
        print(
            "cache bench: \(self.requests) requests x \(self.rounds) rounds, \(self.connections) connections, \(self.tasks) tasks; medians"
        )
        var pass = true
        for command in ["SET", "GET"] {
            let base = Self.median(results["bare \(command)"]!)
            let mine = Self.median(results["client \(command)"]!)
            let overhead = (1 - mine.throughput / base.throughput) * 100
            pass = pass && overhead <= self.target
            print(
                "  \(command): bare \(Int(base.throughput)) req/s p99 \(StatsReport.ms(base.p99)) | "
                    + "CacheClient \(Int(mine.throughput)) req/s p99 \(StatsReport.ms(mine.p99)) | "
                    + "overhead \(String(format2(overhead)))%"
            )
        }
        print("cache bench: \(pass ? "PASS" : "MISS") (target: at most \(self.target)% throughput overhead)")
    }

    /// Runs `requests` calls of `body` from `tasks` tasks, timing each.
    func measure(_ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Measurement {
        let histogram = LatencyHistogram(name: "bench")
        let perTask = self.requests / self.tasks
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<self.tasks {
                group.addTask {
                    for index in 0..<perTask {
                        let start = ContinuousClock.now
                        try await body(task * perTask + index)
                        histogram.record(start.duration(to: .now))
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = started.duration(to: .now)
        let (seconds, attoseconds) = elapsed.components
        let total = Double(seconds) + Double(attoseconds) / 1e18
        return Measurement(throughput: Double(perTask * self.tasks) / total, p99: histogram.snapshot().p99)
    }

    static func median(_ measurements: [Measurement]) -> Measurement {
        let sorted = measurements.sorted { $0.throughput < $1.throughput }
        return sorted[sorted.count / 2]
    }
}

private func format2(_ value: Double) -> String {
    String(Double(Int((value * 10).rounded())) / 10)
}
