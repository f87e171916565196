import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PoolMetrics
import PoolProxyConfig

/// The running proxy: every pool of a ``ProxyConfiguration``, each on its own listen address.
///
/// ```swift
/// let configuration = try ProxyConfiguration.commandLine(listen: "127.0.0.1:7000", backends: ["127.0.0.1:6379"])
/// let proxy = try await PoolProxy.start(configuration: configuration)
/// // ... later, on SIGTERM:
/// await proxy.shutdown(gracePeriod: .seconds(10))
/// ```
public final class PoolProxy: Sendable {
    /// The service name in twemproxy's stats.
    public static let serviceName = "pool-proxy"

    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    private let startedAt = ContinuousClock.now
    private let metrics: ProxyMetrics
    private let taskExecutor: (any TaskExecutor)?
    /// Versions reported by `/stats` and INFO.
    public let version: String

    struct State {
        var configuration: ProxyConfiguration
        var pools: [String: ServerPoolRuntime]
    }

    private init(
        configuration: ProxyConfiguration,
        pools: [String: ServerPoolRuntime],
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        version: String,
        metrics: ProxyMetrics,
        taskExecutor: (any TaskExecutor)?
    ) {
        self.state = NIOLockedValueBox(State(configuration: configuration, pools: pools))
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.version = version
        self.metrics = metrics
        self.taskExecutor = taskExecutor
    }

    /// Starts every pool. `taskExecutor` runs the proxy's background tasks (backend connects, dedicated-connection
    /// pools, health checks); by default they share Swift's global executor. If one cannot start (its address is taken, say), the ones already started are stopped
    /// and the error is thrown: the proxy never half-starts.
    public static func start(
        configuration: ProxyConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pool-proxy"),
        version: String = "dev",
        taskExecutor: (any TaskExecutor)? = nil
    ) async throws -> PoolProxy {
        var started: [String: ServerPoolRuntime] = [:]
        let metrics = ProxyMetrics()
        do {
            for pool in configuration.pools {
                started[pool.name] = try await Self.startPool(
                    pool,
                    eventLoopGroup: eventLoopGroup,
                    logger: logger,
                    metrics: metrics,
                    taskExecutor: taskExecutor
                )
            }
        } catch {
            for runtime in started.values { await runtime.stop(gracePeriod: .zero) }
            throw error
        }
        return PoolProxy(
            configuration: configuration,
            pools: started,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            version: version,
            metrics: metrics,
            taskExecutor: taskExecutor
        )
    }

    /// The configuration running now.
    public var configuration: ProxyConfiguration {
        self.state.withLockedValue { $0.configuration }
    }

    /// Where a pool listens: useful when the configuration asked for port 0.
    public func localAddress(ofPool name: String) -> SocketAddress? {
        self.state.withLockedValue { $0.pools[name] }?.localAddress
    }

    /// Where a pool's TLS listener listens, when it has one.
    public func tlsLocalAddress(ofPool name: String) -> SocketAddress? {
        self.state.withLockedValue { $0.pools[name] }?.tlsLocalAddress
    }

    /// Applies a new configuration. Pools are matched by name: unchanged pools keep running with their clients
    /// connected; removed pools stop; changed pools restart (their clients finish in-flight requests, for up to
    /// `gracePeriod`, and reconnect); new pools start. Pools that stop do so before any starts, so a pool may take
    /// over an address another gives up. A pool that cannot start is reported in the thrown ``ReloadError``, and
    /// its previous configuration, if it had one, is started again.
    public func reload(_ configuration: ProxyConfiguration, gracePeriod: Duration = .seconds(10)) async throws {
        let (current, running) = self.state.withLockedValue { ($0.configuration, $0.pools) }
        let old = Dictionary(current.pools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(configuration.pools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var pools = running
        let stopping = running.filter { name, _ in new[name] != old[name] }
        await withTaskGroup(of: Void.self) { group in
            for (name, runtime) in stopping {
                group.addTask { await runtime.stop(gracePeriod: gracePeriod) }
                self.logger.info("pool stopping for reload", metadata: ["pool": "\(name)"])
            }
        }
        for name in stopping.keys { pools[name] = nil }
        var failures: [String] = []
        for pool in configuration.pools where pools[pool.name] == nil {
            do {
                pools[pool.name] = try await self.startPool(pool)
                self.logger.info("pool started by reload", metadata: ["pool": "\(pool.name)"])
            } catch {
                failures.append("\(pool.name): \(error)")
                if let previous = old[pool.name], let restored = try? await self.startPool(previous) {
                    pools[pool.name] = restored
                }
            }
        }
        let final = pools
        self.state.withLockedValue {
            $0.pools = final
            $0.configuration = ProxyConfiguration(
                pools: configuration.pools.compactMap { final[$0.name]?.declaredConfiguration }
            )
        }
        if !failures.isEmpty {
            throw ReloadError(failures: failures)
        }
    }

    private func startPool(_ pool: ServerPoolConfiguration) async throws -> ServerPoolRuntime {
        try await Self.startPool(
            pool,
            eventLoopGroup: self.eventLoopGroup,
            logger: self.logger,
            metrics: self.metrics,
            taskExecutor: self.taskExecutor
        )
    }

    /// Starts one pool; a cluster pool first learns its cluster's layout from its seed nodes.
    private static func startPool(
        _ pool: ServerPoolConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        metrics: ProxyMetrics,
        taskExecutor: (any TaskExecutor)?
    ) async throws -> ServerPoolRuntime {
        let topology =
            pool.cluster
            ? try await ServerPoolRuntime.discoverCluster(pool, eventLoopGroup: eventLoopGroup, logger: logger) : nil
        let runtime = try ServerPoolRuntime(
            configuration: pool,
            eventLoopGroup: eventLoopGroup,
            logger: logger,
            latency: metrics.latency(pool: pool.name),
            taskExecutor: taskExecutor,
            clusterTopology: topology
        )
        try await runtime.start()
        return runtime
    }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod`, then closes every connection.
    public func shutdown(gracePeriod: Duration) async {
        let pools = self.state.withLockedValue { Array($0.pools.values) }
        await withTaskGroup(of: Void.self) { group in
            for pool in pools {
                group.addTask { await pool.stop(gracePeriod: gracePeriod) }
            }
        }
    }

    // MARK: - Observability

    /// twemproxy's stats document, as nutcracker's stats port and `/stats` serve it.
    public func twemproxyStats() async -> TwemproxyStats {
        let pools = self.state.withLockedValue { state in state.configuration.pools.compactMap { state.pools[$0.name] }
        }
        var stats = TwemproxyStats(
            service: Self.serviceName,
            source: Self.hostName,
            version: self.version,
            uptime: (ContinuousClock.now - self.startedAt).components.seconds,
            timestamp: Int64(Date.now.timeIntervalSince1970),
            pools: []
        )
        for pool in pools {
            let (tally, servers) = await pool.tallies()
            let ejection = pool.ejectionState
            var poolStats = TwemproxyPoolStats(name: pool.configuration.name)
            poolStats.clientEOF = tally.clientEOF
            poolStats.clientErrors = tally.clientErrors
            poolStats.clientConnections = tally.clientConnections
            poolStats.serverEjects = ejection.ejections
            poolStats.forwardErrors = tally.forwardErrors
            poolStats.fragments = tally.fragments
            let serverNames = pool.serverNames
            for (index, server) in servers.enumerated() {
                var serverStats = TwemproxyServerStats(name: serverNames[index])
                serverStats.serverEOF = server.serverEOF
                serverStats.serverErrors = server.serverErrors
                serverStats.serverTimedOut = server.serverTimedOut
                serverStats.serverConnections = server.serverConnections
                serverStats.serverEjectedAt = ejection.ejected.contains(index) ? ejection.ejectedAt[index] ?? 0 : 0
                serverStats.requests = server.requests
                serverStats.requestBytes = server.requestBytes
                serverStats.responses = server.responses
                serverStats.responseBytes = server.responseBytes
                serverStats.inQueue = server.inQueue
                serverStats.inQueueBytes = server.inQueueBytes
                poolStats.servers.append(serverStats)
            }
            stats.currentConnections += tally.clientConnections
            stats.totalConnections += tally.totalClientConnections
            stats.pools.append(poolStats)
        }
        return stats
    }

    /// Whether every pool has at least one routable server, and a line per pool saying so.
    public func health() async -> (isHealthy: Bool, report: String) {
        let pools = self.state.withLockedValue { state in state.configuration.pools.compactMap { state.pools[$0.name] }
        }
        var healthy = true
        var lines: [String] = []
        for pool in pools {
            let serverNames = pool.serverNames
            let down = serverNames.indices.filter { !(pool.health?.isRoutable($0) ?? true) }
            let up = serverNames.count - down.count
            if up == 0 { healthy = false }
            let names = down.map { serverNames[$0] }.joined(separator: ",")
            lines.append(
                "\(pool.configuration.name): \(up)/\(serverNames.count) servers up\(names.isEmpty ? "" : " (down: \(names))")"
            )
        }
        return (healthy, lines.joined(separator: "\n") + "\n")
    }

    /// Every metric in Prometheus's text format, refreshed from the event loops' counters at each call.
    public func prometheusExposition() async -> String {
        let pools = self.state.withLockedValue { state in state.configuration.pools.compactMap { state.pools[$0.name] }
        }
        for pool in pools {
            await self.metrics.update(from: pool)
        }
        return self.metrics.registry.prometheusExposition()
    }

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}

/// Pools that a reload could not start; each entry names the pool and the reason.
public struct ReloadError: Error, CustomStringConvertible {
    public let failures: [String]
    public var description: String { "reload failed for " + self.failures.joined(separator: "; ") }
}
