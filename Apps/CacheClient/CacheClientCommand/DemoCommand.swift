import ArgumentParser
import CacheClient
import NIOCore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A short cache-aside workload: getOrSet over a key space with a slow fake database.",
        discussion: "Keys are written under demo:, with a short TTL. Prints the hit rate, latency and the metrics."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Requests to make.") var requests = 5_000
    @Option(help: "Distinct keys requested.") var keys = 200
    @Option(help: "Concurrent tasks.") var concurrency = 20
    @Option(help: "Milliseconds the fake database takes per miss.") var databaseMilliseconds = 2
    @Option(help: "Bytes per value (values of 1 KB and more are compressed).") var valueSize = 2_048
    @Flag(help: "Skip the Prometheus exposition.") var noPrometheus = false

    func validate() throws {
        guard self.requests > 0, self.keys > 0, self.concurrency > 0, self.valueSize >= 0 else {
            throw ValidationError("--requests, --keys and --concurrency must be positive")
        }
    }

    func run() async throws {
        try await self.connection.withClient(quiet: false) { client, _ in
            let started = ContinuousClock.now
            let perTask = (self.requests + self.concurrency - 1) / self.concurrency
            let (keys, delay, size) = (self.keys, self.databaseMilliseconds, self.valueSize)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<self.concurrency {
                    group.addTask {
                        var generator = SystemRandomNumberGenerator()
                        for _ in 0..<perTask {
                            // A skewed key choice, like real traffic: low keys are hot.
                            let key = Int(Double(keys) * pow2(Double.random(in: 0..<1, using: &generator)))
                            _ = try await client.getOrSet("demo:\(key)", ttl: .seconds(30)) {
                                try await Task.sleep(for: .milliseconds(delay))
                                return ByteBuffer(repeating: UInt8(ascii: "a") + UInt8(task % 26), count: size)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = started.duration(to: .now)
            let stats = client.stats()
            print("demo: \(perTask * self.concurrency) getOrSet calls over \(keys) keys in \(StatsReport.ms(elapsed))")
            print(StatsReport(stats).text)
            if !self.noPrometheus { print(client.prometheusExposition()) }
        }
    }
}

/// `x²`: squashes uniform draws towards 0 so that a few keys take most requests.
private func pow2(_ x: Double) -> Double { x * x }
