import ArgumentParser
import CacheClient
import NIOCore
import PoolMetrics
import SocketIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// GET/SET through CacheClient against a bare pipelined RESPConnection baseline, same connections and
/// concurrency, interleaved in one run (Scripts/bench cache). Speed never fails it: it prints PASS or MISS.
///
/// The baseline is what a careful user would write without the client: the tasks share the connections, each
/// task sending on its own one (task `t` on connection `t % connections`), so every connection pipelines the
/// requests of `tasks / connections` tasks, as the client's pool does with at most
/// `ceil(tasks / connections)` requests per connection.
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
    @Option(help: "Which side to measure: both, bare or client (one side alone is for profiling).")
    var side = "both"

    func validate() throws {
        guard ["both", "bare", "client"].contains(self.side) else {
            throw ValidationError("--side must be both, bare or client")
        }
    }

    struct Measurement: CustomStringConvertible {
        var throughput: Double
        var p99: Duration
        /// Process CPU time (user and system, every thread) per request: steadier than throughput on a shared
        /// machine, since other processes' load does not inflate it.
        var cpuPerRequest: Duration

        var description: String {
            "\(Int(self.throughput)) req/s p99 \(StatsReport.ms(self.p99)) cpu \(format1(microseconds(self.cpuPerRequest))) µs/req"
        }
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
        let bytes = ByteBuffer(string: value)
        var results: [String: [Measurement]] = [:]
        for round in 0..<self.rounds {
            for command in ["SET", "GET"] {
                // Alternating which side goes first cancels a drift in the machine's load over a round.
                let sides = round.isMultiple(of: 2) ? ["bare", "client"] : ["client", "bare"]
                for side in sides where self.side == "both" || self.side == side {
                    let measurement: Measurement
                    if side == "bare" {
                        measurement = try await self.measure { task, index in
                            let key = keys[index % keys.count]
                            let connection = connections[task % connections.count]
                            if command == "SET" {
                                _ = try await connection.send(["SET", key, value])
                            } else {
                                _ = try await connection.send(["GET", key])
                            }
                        }
                    } else {
                        measurement = try await self.measure { _, index in
                            let key = keys[index % keys.count]
                            if command == "SET" {
                                try await client.set(key, bytes)
                            } else {
                                _ = try await client.get(key)
                            }
                        }
                    }
                    results["\(side) \(command)", default: []].append(measurement)
                }
            }
        }
        for connection in connections { await connection.close() }
        await client.shutdown()
        print(
            "cache bench: \(self.requests) requests x \(self.rounds) rounds, \(self.connections) connections, "
                + "\(self.tasks) tasks; medians of each figure"
        )
        var pass = true
        for command in ["SET", "GET"] {
            let base = results["bare \(command)"].map(Self.median)
            let mine = results["client \(command)"].map(Self.median)
            var line = "  \(command):"
            if let base { line += " bare \(base)" }
            if let mine { line += "\(base == nil ? "" : " |") CacheClient \(mine)" }
            if let base, let mine {
                let overhead = (1 - mine.throughput / base.throughput) * 100
                pass = pass && overhead <= self.target
                line += " | overhead \(format1(overhead))%"
            }
            print(line)
            if let bare = results["bare \(command)"], let client = results["client \(command)"] {
                // Each round's pair ran back to back, so its ratio is steadier than the ratio of the medians when
                // other processes load the machine.
                let paired = zip(bare, client).map { (1 - $1.throughput / $0.throughput) * 100 }.sorted()
                let cpu = zip(bare, client).map { microseconds($1.cpuPerRequest) / microseconds($0.cpuPerRequest) }
                    .sorted()
                print(
                    "    per-round overhead: median \(format1(paired[paired.count / 2]))%, "
                        + "range \(format1(paired[0]))% to \(format1(paired[paired.count - 1]))%; "
                        + "CPU per request x\(format2(cpu[cpu.count / 2])) of bare"
                )
            }
        }
        guard self.side == "both" else { return }
        print("cache bench: \(pass ? "PASS" : "MISS") (target: at most \(self.target)% throughput overhead)")
    }

    /// Runs `requests` calls of `body` from `tasks` tasks, timing each; `body` gets the task and the request's
    /// number.
    func measure(
        _ body: @escaping @Sendable (_ task: Int, _ request: Int) async throws -> Void
    ) async throws
        -> Measurement
    {
        let histogram = LatencyHistogram(name: "bench")
        let perTask = self.requests / self.tasks
        let cpuBefore = Self.processCPUTime()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<self.tasks {
                group.addTask {
                    for index in 0..<perTask {
                        let start = ContinuousClock.now
                        try await body(task, task * perTask + index)
                        histogram.record(start.duration(to: .now))
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = started.duration(to: .now)
        let cpu = Self.processCPUTime() - cpuBefore
        let count = perTask * self.tasks
        return Measurement(
            throughput: Double(count) / (microseconds(elapsed) / 1e6),
            p99: histogram.snapshot().p99,
            cpuPerRequest: cpu / count
        )
    }

    static func processCPUTime() -> Duration {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// The median of each figure over the rounds.
    static func median(_ measurements: [Measurement]) -> Measurement {
        func middle<Value: Comparable>(_ values: [Value]) -> Value { values.sorted()[values.count / 2] }
        return Measurement(
            throughput: middle(measurements.map(\.throughput)),
            p99: middle(measurements.map(\.p99)),
            cpuPerRequest: middle(measurements.map(\.cpuPerRequest))
        )
    }
}

private func microseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

private func format1(_ value: Double) -> String {
    String(Double(Int((value * 10).rounded())) / 10)
}

private func format2(_ value: Double) -> String {
    String(Double(Int((value * 100).rounded())) / 100)
}
