import CacheClient
import Foundation
import NIOCore
import RedisTestSupport
import SocketIO

/// Clients and bare connections against throwaway redis-servers, with settings short enough for tests.
enum CacheClientHarness {
    /// A configuration for `servers` with small pools, fast health checks and a breaker that reopens quickly. Its
    /// timeouts stretch under a sanitizer (`TestTime`).
    static func configuration(ports: [Int]) -> CacheClientConfiguration {
        var configuration = CacheClientConfiguration.default
        configuration.servers = ports.map { CacheServer(host: "127.0.0.1", port: $0) }
        configuration.poolSize = 4
        configuration.minimumIdleConnections = 2
        configuration.loadBalancing = true
        configuration.poolTimeout = TestTime.scaled(.seconds(2))
        configuration.dialTimeout = TestTime.scaled(.seconds(1))
        configuration.readTimeout = TestTime.scaled(.seconds(1))
        configuration.writeTimeout = TestTime.scaled(.milliseconds(500))
        configuration.connectionWarmingTimeout = TestTime.scaled(.seconds(5))
        configuration.healthCheckInterval = .milliseconds(200)
        // Generous: on a loaded 2-core CI machine a PING can take hundreds of milliseconds, and a slow check must
        // not eject a healthy node. A killed node fails its checks at once (connection refused) regardless.
        configuration.healthCheckTimeout = TestTime.scaled(.seconds(3))
        configuration.unhealthyThreshold = 2
        configuration.ejectionTime = .milliseconds(500)
        configuration.reconnectBackoffMaximum = .milliseconds(200)
        configuration.circuitBreaker.openDuration = .constant(.milliseconds(300))
        return configuration
    }

    /// A started client; the caller shuts it down.
    static func start(
        _ configuration: CacheClientConfiguration
    ) async throws -> (CacheClient, WarmingReport) {
        let client = try CacheClient(configuration: configuration)
        let report = await client.start()
        return (client, report)
    }

    /// A plain connection to look at what is stored, bypassing the client.
    static func bare(_ port: Int) async throws -> RESPConnection {
        try await RESPConnection.connect(to: .tcp(host: "127.0.0.1", port: port))
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` (scaled, see `TestTime`) passes; returns whether
    /// it held.
    static func eventually(
        within timeout: Duration = .seconds(10),
        _ condition: () async -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + TestTime.scaled(timeout)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }
}
