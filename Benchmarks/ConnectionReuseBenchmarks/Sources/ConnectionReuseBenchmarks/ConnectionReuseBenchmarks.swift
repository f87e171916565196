import PoolCore
import RESPCodec
import SocketIO
import Synchronization

/// The same stream of GETs, once with a new connection per request and once through a pool, interleaved in
/// rounds so that both see the same machine. Usage: `ConnectionReuseBenchmarks PORT [REQUESTS] [ROUNDS]`.
@main
enum ConnectionReuseBenchmarks {
    final class Pooled: PooledConnection {
        static let nextID = Atomic<Int>(0)
        let id = Pooled.nextID.wrappingAdd(1, ordering: .relaxed).newValue
        let connection: RESPConnection
        init(_ connection: RESPConnection) { self.connection = connection }
        var isUsable: Bool { self.connection.isHealthy }
        func close() async { await self.connection.close() }
    }

    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let port = Int(arguments[1]) else {
            print("usage: ConnectionReuseBenchmarks PORT [REQUESTS] [ROUNDS]")
            return
        }
        let requests = arguments.count > 2 ? Int(arguments[2]) ?? 2_000 : 2_000
        let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
        let endpoint = SocketEndpoint.tcp(host: "127.0.0.1", port: port)

        let setup = try await RESPConnection.connect(to: endpoint)
        _ = try await setup.send("SET", "bench:key", String(repeating: "v", count: 64))
        await setup.close()

        var configuration = ConnectionPoolConfiguration()
        configuration.minimumIdleConnections = 1
        configuration.softMaximumConnections = 1
        configuration.hardMaximumConnections = 1
        let pool = try ConnectionPool<Pooled, ContinuousClock>(configuration: configuration) {
            Pooled(try await RESPConnection.connect(to: endpoint))
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            _ = try await pool.withConnection { @Sendable in try await $0.connection.send("PING") }  // warmed

            var fresh: [Double] = []
            var pooled: [Double] = []
            let clock = ContinuousClock()
            for _ in 0..<rounds {
                let freshElapsed = try await clock.measure {
                    for _ in 0..<requests {
                        let connection = try await RESPConnection.connect(to: endpoint)
                        _ = try await connection.send("GET", "bench:key")
                        await connection.close()
                    }
                }
                let pooledElapsed = try await clock.measure {
                    for _ in 0..<requests {
                        _ = try await pool.withConnection { @Sendable in
                            try await $0.connection.send("GET", "bench:key")
                        }
                    }
                }
                fresh.append(Self.microseconds(freshElapsed) / Double(requests))
                pooled.append(Self.microseconds(pooledElapsed) / Double(requests))
            }
            let freshMedian = Self.median(fresh)
            let pooledMedian = Self.median(pooled)
            let stats = pool.stats()
            print("Connection reuse on 127.0.0.1:\(port): \(requests) sequential GETs × \(rounds) interleaved rounds")
            print("  new connection per request: \(Self.format(freshMedian)) µs/request (median of rounds)")
            print("  pooled connection:          \(Self.format(pooledMedian)) µs/request (median of rounds)")
            print(
                "  pooled is \(Self.format((1 - pooledMedian / freshMedian) * 100))% faster "
                    + "(\(Self.format(freshMedian / pooledMedian))x); the claim to beat is 80-90% faster"
            )
            print(
                "  pool: created \(stats.created), hits \(stats.hits), misses \(stats.misses), "
                    + "reuse rate \(Self.format(stats.reuseRate * 100))%"
            )
            await pool.drain()
            group.cancelAll()
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
