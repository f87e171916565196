import NIOCore
import PoolCore
import RESPCodec
import RedisTestSupport
import SocketIO
import Synchronization
import Testing

/// PoolCore lending SocketIO's `RESPConnection`s to many tasks against a real redis-server.
@Suite(.blockingAllowed) struct PooledRESPConnectionTests {
    @Test func thousandTasksShareTwentyConnectionsWithoutLeaksOrLostWrites() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        var configuration = ConnectionPoolConfiguration()
        configuration.minimumIdleConnections = 20
        configuration.softMaximumConnections = 20
        configuration.hardMaximumConnections = 20
        configuration.maximumWaiters = 2_000
        configuration.acquireTimeout = .seconds(60)
        let dials = SharedCount()
        let endpoint = SocketEndpoint.tcp(host: "127.0.0.1", port: server.port)
        let pool = try ConnectionPool<PooledRESPConnection, ContinuousClock>(configuration: configuration) {
            dials.add(1)
            return PooledRESPConnection(try await RESPConnection.connect(to: endpoint))
        }

        let tasks = 1_000
        let operationsPerTask = 100
        let failures = SharedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            try await withThrowingTaskGroup(of: Void.self) { workers in
                for task in 0..<tasks {
                    workers.addTask { [pool] in
                        for operation in 0..<operationsPerTask {
                            let key = "task:\(task):\(operation % 10)"
                            let value = "\(task)-\(operation)"
                            let reply = try await pool.withConnection { pooled in
                                if operation % 2 == 0 {
                                    return try await pooled.connection.send("SET", key, value)
                                }
                                return try await pooled.connection.send("GET", "task:\(task):\((operation - 1) % 10)")
                            }
                            let expected: RESPValue =
                                operation % 2 == 0
                                ? .simpleString("OK") : .bulkString("\(task)-\(operation - 1)")
                            if reply != expected { failures.add(1) }
                        }
                    }
                }
                try await workers.waitForAll()
            }

            let stats = pool.stats()
            #expect(failures.value == 0, "every write is readable by the next command")
            #expect(stats.reuseRate > 0.95, "reuse rate \(stats.reuseRate)")
            #expect(stats.hits + stats.misses == tasks * operationsPerTask)
            #expect(stats.inUse == 0 && stats.leases == 0, "every lease came back")
            #expect(stats.idle + stats.inUse == stats.created - stats.closedTotal, "every connection accounted for")
            #expect(stats.created <= 20 + stats.closedTotal)
            #expect(dials.value == stats.created)

            await pool.drain()
            let drained = pool.stats()
            #expect(drained.idle == 0 && drained.inUse == 0)
            #expect(drained.created == drained.closedTotal, "drain closed every connection it opened")
            group.cancelAll()
        }

        // Every acknowledged write is really stored: the last SET of each key is what Redis holds.
        let probe = try await RESPConnection.connect(to: endpoint)
        let sample = try await probe.sendBatch((0..<tasks).map { ["GET", "task:\($0):8"] })
        #expect(sample == (0..<tasks).map { .bulkString("\($0)-98") })
        await probe.close()
    }
}

/// A count that escaping closures and tasks can share.
final class SharedCount: Sendable {
    private let storage = Atomic<Int>(0)

    func add(_ amount: Int) {
        self.storage.wrappingAdd(amount, ordering: .relaxed)
    }

    var value: Int { self.storage.load(ordering: .relaxed) }
}
