import ArgumentParser
import Foundation
import PoolCore
import PoolMetrics
import SocketIO

/// `pool-bench pool`: PoolCore's ``ConnectionPool`` over SocketIO connections, swept over pool size × concurrent
/// callers. Each caller loops acquire, one request, release for `--duration`; each cell prints throughput, p99 of
/// the whole loop and the pool's reuse rate.
///
/// ```sh
/// pool-bench pool --server 127.0.0.1:6379 --sizes 1,4,16 --concurrency 1,16,64 --duration 1s
/// ```
struct PoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Sweep pool size × concurrency over PoolCore's ConnectionPool: throughput, p99 and reuse rate."
    )

    @Option(help: "host:port of the server.")
    var server = "127.0.0.1:6379"

    @Option(help: "Pool sizes (maximum connections), comma-separated.")
    var sizes = "1,4,16,64"

    @Option(help: "Concurrent callers, comma-separated.")
    var concurrency = "1,16,64,256"

    @Option(help: "Measured time per cell, e.g. 1s.")
    var duration = "1s"

    @Option(help: "The command sent; __key__ becomes key:N.")
    var command = "GET __key__"

    @OptionGroup(title: "TLS")
    var tlsArguments: TLSArguments

    func validate() throws {
        guard (try? Self.list(self.sizes)) != nil else { throw ValidationError("--sizes: positive numbers, e.g. 1,4") }
        guard (try? Self.list(self.concurrency)) != nil else {
            throw ValidationError("--concurrency: positive numbers, e.g. 1,16")
        }
    }

    static func list(_ text: String) throws -> [Int] {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { throw ValidationError("bad list") }
        return values.map { $0! }
    }

    func run() async throws {
        let endpoint = try BenchTarget.parseEndpoint(self.server)
        let duration = try DurationParser.parse(self.duration)
        let template = self.command.split(separator: " ").map(String.init)
        let configuration: RESPConnectionConfiguration
        do {
            configuration = try self.tlsArguments.connectionConfiguration()
        } catch {
            FileHandle.standardError.write(Data("pool-bench: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        // Fail early and clearly when nothing listens or TLS does not verify.
        do {
            try await RESPConnection.connect(to: endpoint, configuration: configuration).close()
        } catch {
            FileHandle.standardError.write(
                Data("pool-bench: cannot connect to \(endpoint): \(BenchEngine.reason(error))\n".utf8)
            )
            throw ExitCode(1)
        }
        let security = self.tlsArguments.isEnabled ? " over TLS" : ""
        print("Target \(endpoint)\(security), \(self.duration) per cell, \"\(self.command)\"")
        print("")
        var cells: [PoolSweepCell] = []
        for size in try Self.list(self.sizes) {
            for callers in try Self.list(self.concurrency) {
                cells.append(
                    try await Self.measure(
                        endpoint: endpoint,
                        configuration: configuration,
                        size: size,
                        concurrency: callers,
                        duration: duration,
                        command: template
                    )
                )
            }
        }
        print(PoolSweepCell.table(cells))
    }

    static func measure(
        endpoint: SocketEndpoint,
        configuration connection: RESPConnectionConfiguration = RESPConnectionConfiguration(),
        size: Int,
        concurrency: Int,
        duration: Duration,
        command: [String]
    ) async throws -> PoolSweepCell {
        var configuration = ConnectionPoolConfiguration()
        configuration.softMaximumConnections = size
        configuration.hardMaximumConnections = size
        configuration.maximumWaiters = max(10_000, concurrency)
        let dials = Counter(name: "dials")
        let pool = try ConnectionPool<PooledRESPConnection, ContinuousClock>(configuration: configuration) {
            // Ids only label connections in PoolCore's events; an occasional duplicate under racing dials is harmless.
            dials.increment()
            return try await PooledRESPConnection.connect(to: endpoint, configuration: connection, id: Int(dials.value))
        }
        let latency = LatencyHistogram(name: "pool")
        let operations = Counter(name: "operations")
        let errors = Counter(name: "errors")
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        await withDiscardingTaskGroup { group in
            group.addTask { await pool.run() }
            await withDiscardingTaskGroup { callers in
                for caller in 0..<concurrency {
                    callers.addTask {
                        var index = caller
                        while clock.now < deadline {
                            let begun = clock.now
                            let arguments = command.map { $0.replacingOccurrences(of: "__key__", with: "key:\(index)") }
                            do {
                                _ = try await pool.withConnection { try await $0.connection.send(arguments) }
                                latency.record(clock.now - begun)
                                operations.increment()
                            } catch {
                                errors.increment()
                            }
                            index += concurrency
                        }
                    }
                }
            }
            await pool.drain()
        }
        let elapsed = (clock.now - started)
        let stats = pool.stats()
        return PoolSweepCell(
            size: size,
            concurrency: concurrency,
            operations: Int(operations.value),
            seconds: min(elapsed, duration).secondsValue,
            p99: latency.snapshot().p99,
            reuseRate: stats.reuseRate,
            created: stats.created,
            errors: Int(errors.value)
        )
    }
}
