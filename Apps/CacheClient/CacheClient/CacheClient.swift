import HealthMonitor
import LoadBalancer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PoolCore
import PoolMetrics
import RESPCodec
import SocketIO
import Synchronization

/// A Redis cache client: a warmed, health-checked, circuit-broken connection pool per node, keys sharded with
/// twemproxy's ketama (so it agrees with pool-proxy), zlib for large values, single-flight `getOrSet`, and stats.
///
/// Keys of a node that is down fail fast with ``CacheError/unavailable(node:reason:)``: they are never moved to
/// another node, so no node ever serves a value that a recovered node would contradict.
///
/// ```swift
/// var configuration = CacheClientConfiguration.default
/// configuration.servers = [CacheServer(host: "127.0.0.1", port: 6379)]
/// let cache = try CacheClient(configuration: configuration)
/// let warming = await cache.start()
/// try await cache.set("greeting", Array("hello".utf8), ttl: .seconds(60))
/// let profile = try await cache.getOrSet("user:42", ttl: .seconds(300)) { try await loadProfile(42) }
/// print(cache.stats().hitRate, cache.prometheusExposition())
/// await cache.shutdown()
/// ```
public final class CacheClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: CacheClientConfiguration
    /// Where the client's series live (prefix `cache`); ``prometheusExposition()`` renders it.
    public let metricsRegistry: MetricsRegistry

    let nodes: [CacheNode]
    let router: TwemproxyRouter
    let health: HealthMonitor<Int, ContinuousClock>
    let metrics: CacheMetrics
    let flights: SingleFlight<String, ByteBuffer>
    let allocator = ByteBufferAllocator()
    private let isRunning = Atomic<Bool>(false)
    private let lifecycle = NIOLockedValueBox(Lifecycle.created)

    enum Lifecycle {
        case created
        case running([Task<Void, Never>])
        case shutDown
    }

    /// Creates a client; nothing connects until ``start()``.
    ///
    /// - Throws: ``CacheClientConfiguration/ValidationError`` for an invalid configuration, or the TLS error
    ///   when a certificate or key file cannot be loaded.
    /// - Parameters:
    ///   - configuration: Nodes, pool sizes, timeouts, health checks, breaker, TLS and compression.
    ///   - logger: Where the client reports what an operator should know, such as TLS verification turned off.
    public init(configuration: CacheClientConfiguration, logger: Logger = Logger(label: "cache-client")) throws {
        try configuration.validate()
        if configuration.tls.isEnabled && !configuration.tls.verifiesCertificates {
            logger.warning(
                "TLS certificate verification is OFF (verifiesCertificates = false): connections to the Redis nodes can be intercepted",
                metadata: ["nodes": "\(configuration.servers.map { "\($0.host):\($0.port)" }.joined(separator: ","))"]
            )
        }
        self.configuration = configuration
        let registry = MetricsRegistry(prefix: "cache")
        self.metricsRegistry = registry
        let metrics = try CacheMetrics(registry: registry)
        self.metrics = metrics
        self.flights = SingleFlight { metrics.sharedResults.increment() }
        self.router = TwemproxyRouter(
            servers: configuration.servers.map(\.twemproxyServer),
            hash: configuration.hash,
            distribution: .ketama,
            hashTag: configuration.hashTag
        )

        let connection = RESPConnectionConfiguration(
            socket: SocketClientOptions(
                connectTimeout: configuration.dialTimeout,
                tls: try configuration.tls.makeClientOptions()
            ),
            requestTimeout: configuration.requestTimeout,
            handshake: RESPHandshake(
                username: configuration.username,
                password: configuration.password,
                database: configuration.database
            )
        )
        var probeConfiguration = connection
        probeConfiguration.requestTimeout = configuration.healthCheckTimeout
        let probes = configuration.servers.map {
            NodeProbe(endpoint: .tcp(host: $0.host, port: $0.port), configuration: probeConfiguration)
        }
        let checks = try configuration.servers.map { server throws in
            (
                healthy: try metrics.healthChecks.labels(server.description, "healthy"),
                failed: try metrics.healthChecks.labels(server.description, "unhealthy")
            )
        }
        let interval = configuration.healthCheckInterval
        let health = HealthMonitor<Int, ContinuousClock>(
            configuration: HealthMonitorConfiguration(
                activeChecks: ActiveHealthCheckConfiguration(
                    interval: interval,
                    // A node that is down is checked at least every 5 s, so it comes back soon after it recovers.
                    unhealthyInterval: min(interval, .seconds(5)),
                    jitter: 0.1,
                    timeout: configuration.healthCheckTimeout,
                    healthyThreshold: configuration.healthyThreshold,
                    unhealthyThreshold: configuration.unhealthyThreshold
                ),
                outlierDetection: configuration.ejectAfterConsecutiveFailures.map {
                    OutlierDetectionConfiguration(
                        consecutiveFailures: $0,
                        successRate: nil,
                        baseEjectionTime: configuration.ejectionTime,
                        maxEjectionTime: configuration.ejectionTime * 10,
                        ejectionDecayInterval: configuration.ejectionTime,
                        maxEjectionPercent: 100
                    )
                },
                // Never route a down node's keys anyway: they fail fast instead.
                panicThreshold: 0
            ),
            clock: ContinuousClock(),
            probe: { index in
                do {
                    try await probes[index].check()
                    checks[index].healthy.increment()
                } catch {
                    checks[index].failed.increment()
                    throw error
                }
            }
        )
        self.health = health
        self.nodes = try configuration.servers.enumerated().map { index, server in
            try CacheNode(
                index: index,
                server: server,
                configuration: configuration,
                connection: connection,
                metrics: metrics,
                probe: probes[index],
                outlierDetection: configuration.ejectAfterConsecutiveFailures == nil ? nil : health
            )
        }
    }

    // MARK: - Lifecycle

    /// Starts the pools and health checks and, with ``CacheClientConfiguration/connectionWarming`` on, opens and
    /// PINGs ``CacheClientConfiguration/minimumIdleConnections`` per node before returning, waiting at most
    /// ``CacheClientConfiguration/connectionWarmingTimeout``.
    ///
    /// It does not throw when warming falls short (a node may be down at start): the report says how many
    /// connections each node has ready, and that node's requests fail fast until it comes up.
    ///
    /// ```swift
    /// let report = await cache.start()
    /// print(report)   // warmed 20/20 connections in 12 ms: 10.0.0.1:6379 10/10, 10.0.0.2:6379 10/10
    /// ```
    @discardableResult
    public func start() async -> WarmingReport {
        let started: Bool = self.lifecycle.withLockedValue { lifecycle in
            guard case .created = lifecycle else { return false }
            var tasks: [Task<Void, Never>] = []
            for node in self.nodes {
                tasks.append(Task { await node.pool.run() })
                tasks.append(Task { await node.observeBreaker() })
            }
            tasks.append(Task { await self.health.run() })
            tasks.append(Task { await self.followHealth() })
            lifecycle = .running(tasks)
            return true
        }
        guard started else {
            return WarmingReport(nodes: [], elapsed: .zero, performed: false)
        }
        for node in self.nodes { self.health.addEndpoint(node.index) }
        self.isRunning.store(true, ordering: .releasing)
        return await self.warm()
    }

    /// Stops health checks, waits for requests in flight, and closes every connection. Calls made afterwards
    /// fail with ``CacheError/unavailable(node:reason:)``.
    public func shutdown() async {
        let tasks: [Task<Void, Never>] = self.lifecycle.withLockedValue { lifecycle in
            defer { lifecycle = .shutDown }
            guard case .running(let tasks) = lifecycle else { return [] }
            return tasks
        }
        self.isRunning.store(false, ordering: .releasing)
        for node in self.nodes { await node.pool.drain() }
        for node in self.nodes { await node.probe.close() }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private func followHealth() async {
        for await event in self.health.events {
            switch event {
            case .healthy(let index): self.nodes[index].apply(.healthy)
            case .unhealthy(let index): self.nodes[index].apply(.unhealthy)
            case .ejected(let index, _): self.nodes[index].apply(.ejected)
            case .restored(let index): self.nodes[index].apply(.restored)
            case .panicEntered, .panicLeft: break
            }
        }
    }

    private func warm() async -> WarmingReport {
        let clock = ContinuousClock()
        let start = clock.now
        let target =
            self.configuration.connectionWarming
            ? min(self.configuration.minimumIdleConnections, self.configuration.poolSize) : 0
        guard target > 0 else {
            return WarmingReport(
                nodes: self.nodes.map { WarmingReport.Node(name: $0.name, target: 0, ready: 0) },
                elapsed: .zero,
                performed: false
            )
        }
        let deadline = start.advanced(by: self.configuration.connectionWarmingTimeout)
        // The pools dial their minimum idle connections as soon as they run; warming waits for them. A node
        // whose dials keep failing before any connection opened is not waited for: it is down.
        let failFastAfter = ConnectionPoolConfiguration().failFastAfterDialFailures
        while clock.now < deadline {
            let waiting = self.nodes.contains { node in
                let stats = node.pool.stats()
                let open = stats.idle + stats.inUse
                let givenUp = open == 0 && stats.dialFailures >= max(1, failFastAfter)
                return open < target && !givenUp
            }
            guard waiting else { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        let nodes = self.nodes.map { node in
            let stats = node.pool.stats()
            let ready = min(target, stats.idle + stats.inUse)
            node.warmed.set(to: Int64(ready))
            return WarmingReport.Node(
                name: node.name,
                target: target,
                ready: ready,
                error: ready < target ? node.dialError : nil
            )
        }
        return WarmingReport(nodes: nodes, elapsed: start.duration(to: clock.now), performed: true)
    }

    // MARK: - Routing

    /// The node `key` lives on: twemproxy's ketama over the configured servers, as pool-proxy computes it.
    ///
    /// ```swift
    /// let node = cache.node(forKey: "user:42")   // "10.0.0.2:6379"
    /// ```
    public func node(forKey key: String) -> String {
        self.nodes[self.nodeIndex(forKey: key)].name
    }

    func nodeIndex(forKey key: String) -> Int {
        guard self.nodes.count > 1 else { return 0 }
        return self.router.index(forKey: key.utf8) ?? 0
    }

    /// Sends one encoded command to one node, failing fast when the client is not running.
    @inline(__always)
    func send(_ command: ByteBuffer, to node: CacheNode) async throws -> RESPToken {
        try self.checkRunning(node)
        return try await node.send(command)
    }

    /// Sends one encoded command like ``send(_:to:)``, sharing the clock readings with the caller: `start` is when
    /// its call began, and the result says when the reply arrived.
    @inline(__always)
    func send(
        _ command: ByteBuffer,
        to node: CacheNode,
        startedAt start: ContinuousClock.Instant
    ) async throws -> (reply: RESPToken, arrivedAt: ContinuousClock.Instant) {
        try self.checkRunning(node)
        return try await node.send(command, startedAt: start)
    }

    /// Sends encoded commands to one node in one write, failing fast when the client is not running.
    func send(_ commands: ByteBuffer, count: Int, to node: CacheNode) async throws -> [RESPToken] {
        try self.checkRunning(node)
        return try await node.send(commands, count: count)
    }

    private func checkRunning(_ node: CacheNode) throws {
        guard self.isRunning.load(ordering: .relaxed) else {
            throw CacheError.unavailable(node: node.name, reason: "the client is not started or is shut down")
        }
    }

    /// Times a call and counts its failure.
    @inline(__always)
    func measured<Result>(_ body: () async throws -> Result) async throws -> Result {
        let start = ContinuousClock.now
        do {
            let result = try await body()
            self.metrics.requestDuration.record(start.duration(to: .now))
            return result
        } catch let error as CacheError {
            self.metrics.record(error)
            throw error
        }
    }
}
