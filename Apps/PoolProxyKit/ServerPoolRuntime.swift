import Foundation
import HealthMonitor
import LoadBalancer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PoolCore
import PoolMetrics
import PoolProxyConfig
import SocketIO

/// One running pool: its listener, one ``LoopPool`` per event loop, the health monitor shared by those loops,
/// and the dedicated-connection pools.
final class ServerPoolRuntime: Sendable {
    /// The pool as it runs. For a cluster, `servers` holds every node discovered at start, masters first.
    let configuration: ServerPoolConfiguration
    /// The pool as the file declared it (for a cluster: the seed nodes); what a reload compares against.
    let declaredConfiguration: ServerPoolConfiguration
    /// The slot table and refresh state of a cluster pool; nil otherwise.
    let cluster: NIOLockedValueBox<ClusterState>?
    let isCluster: Bool
    /// The pool's servers by index, and their names: those configured (for a cluster, the nodes discovered at
    /// start), then cluster nodes that joined later. An index never changes meaning.
    private let serverList: NIOLockedValueBox<(servers: [TwemproxyServer], names: [String])>
    let socketOptions: SocketClientOptions
    private let serverTLS: NIOSSLContext?
    private let authentication: HandshakeCommand?
    /// Who clients may authenticate as; empty when they need not.
    let clientUsers: [String: PasswordDigest]
    private let databaseSelection: HandshakeCommand?
    let health: HealthMonitor<Int, ContinuousClock>?
    let latency: LatencyHistogram
    let logger: Logger
    let startedAt: ContinuousClock.Instant = .now

    let eventLoopGroup: any EventLoopGroup
    private let probe: HealthProbe?
    private let loopPools = NIOLockedValueBox<[ObjectIdentifier: NIOLoopBound<LoopPool>]>([:])
    /// Every dedicated pool; once `closed`, ``stop(gracePeriod:)`` has taken the list and a new pool is refused.
    private let dedicatedPools = NIOLockedValueBox<
        (closed: Bool, pools: [ConnectionPool<DedicatedConnection, ContinuousClock>])
    >((false, []))
    /// The pool's long-running tasks; once `stopping`, a new one is cancelled as it starts.
    private let tasks = NIOLockedValueBox<(stopping: Bool, running: [Task<Void, Never>])>((false, []))
    private let shortTasks = NIOLockedValueBox(ShortTasks())

    /// Connection attempts and acquires in flight. Stopping waits for them: a connect still running on an event
    /// loop that is shut down would never complete.
    struct ShortTasks {
        var nextID = 0
        var running: [Int: Task<Void, Never>] = [:]
    }
    /// The plain listener on `listen` and the TLS one (on `tls.listen`, or on `listen` when that is TLS-only).
    private let listeners = NIOLockedValueBox<(plain: ServerListener?, tls: ServerListener?)>((nil, nil))
    private let ejection = NIOLockedValueBox(EjectionState())

    struct EjectionState {
        var ejected: Set<Int> = []
        var ejectedAt: [Int: Int64] = [:]
        var ejections: UInt64 = 0
    }

    /// Where the pool's background tasks run (connects, dedicated-connection pools, health checks); nil for the
    /// global concurrent executor.
    let taskExecutor: (any TaskExecutor)?

    init(
        configuration: ServerPoolConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        latency: LatencyHistogram,
        taskExecutor: (any TaskExecutor)? = nil,
        clusterTopology: ClusterTopology? = nil
    ) throws {
        self.taskExecutor = taskExecutor
        self.declaredConfiguration = configuration
        var configuration = configuration
        if let clusterTopology {
            configuration.servers = Self.clusterNodes(clusterTopology)
            self.cluster = NIOLockedValueBox(ClusterState(topology: clusterTopology, nodes: configuration.servers))
        } else {
            self.cluster = nil
        }
        self.isCluster = clusterTopology != nil
        self.configuration = configuration
        self.serverList = NIOLockedValueBox((configuration.servers, configuration.servers.map(Self.name(of:))))
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: "pool"] = "\(configuration.name)"
        self.logger = logger
        self.latency = latency
        let options = try Self.socketOptions(for: configuration, logger: logger)
        self.socketOptions = options
        self.serverTLS = try configuration.tls.map { try Self.serverTLS($0, pool: configuration.name) }
        let credentials = configuration.serverCredentials
        self.authentication = credentials.map {
            HandshakeCommand(["AUTH"] + ($0.username.map { [$0] } ?? []) + [$0.password])
        }
        self.clientUsers = configuration.clientUsers
        self.databaseSelection =
            configuration.redisDatabase == 0 ? nil : HandshakeCommand(["SELECT", String(configuration.redisDatabase)])

        let activeChecks = configuration.healthCheck.map { settings in
            ActiveHealthCheckConfiguration(
                interval: settings.interval,
                unhealthyInterval: settings.interval,
                jitter: 0.1,
                timeout: settings.timeout,
                healthyThreshold: settings.healthyThreshold,
                unhealthyThreshold: settings.unhealthyThreshold
            )
        }
        let outliers: OutlierDetectionConfiguration? =
            configuration.autoEjectHosts
            ? .twemproxy(
                serverFailureLimit: configuration.serverFailureLimit,
                serverRetryTimeout: configuration.serverRetryTimeout
            ) : nil
        if activeChecks != nil || outliers != nil {
            let endpoints = configuration.servers.map { SocketEndpoint.tcp(host: $0.host, port: $0.port) }
            let probe = HealthProbe(
                endpoints: endpoints,
                configuration: RESPConnectionConfiguration(
                    socket: options,
                    requestTimeout: configuration.healthCheck?.timeout ?? .seconds(1),
                    handshake: RESPHandshake(
                        username: credentials?.username,
                        password: credentials?.password,
                        database: configuration.redisDatabase
                    ),
                    logger: logger
                ),
                eventLoopGroup: eventLoopGroup
            )
            self.probe = probe
            self.health = HealthMonitor(
                configuration: HealthMonitorConfiguration(
                    activeChecks: activeChecks,
                    outlierDetection: outliers,
                    panicThreshold: 0
                ),
                clock: ContinuousClock(),
                probe: { server in try await probe.check(server) }
            )
        } else {
            self.probe = nil
            self.health = nil
        }
    }

    /// How the proxy connects to the pool's servers: timeouts, keep-alive and TLS. With a logger, a pool that
    /// turned TLS verification off says so.
    static func socketOptions(for configuration: ServerPoolConfiguration, logger: Logger?) throws -> SocketClientOptions
    {
        var options = SocketClientOptions()
        options.connectTimeout = configuration.connectTimeout
        options.keepAlive = configuration.tcpKeepAlive ? TCPKeepAlive() : nil
        if let backendTLS = configuration.backendTLS {
            options.tls = try Self.backendTLS(backendTLS, pool: configuration.name, logger: logger)
        }
        return options
    }

    /// What a new backend connection sends before any client request.
    func handshakeCommands(protocolVersion: Int) -> [HandshakeCommand] {
        var commands: [HandshakeCommand] = []
        if let authentication = self.authentication { commands.append(authentication) }
        if protocolVersion == 3 { commands.append(Self.hello3) }
        if let databaseSelection = self.databaseSelection { commands.append(databaseSelection) }
        // Replicas serve reads only to connections that said READONLY; masters ignore it.
        if self.isCluster && self.configuration.readFrom != .master { commands.append(Self.readOnly) }
        return commands
    }

    private static let hello3 = HandshakeCommand(["HELLO", "3"])
    private static let readOnly = HandshakeCommand(["READONLY"])

    // MARK: - Lifecycle

    /// Builds the per-loop state, starts the monitors and binds the listener. Throws, having undone everything,
    /// when the address cannot be bound.
    func start() async throws {
        do {
            for eventLoop in self.eventLoopGroup.makeIterator() {
                let (bound, pools) = try await eventLoop.submit {
                    () -> (NIOLoopBound<LoopPool>, [ConnectionPool<DedicatedConnection, ContinuousClock>]) in
                    let loopPool = LoopPool(runtime: self, eventLoop: eventLoop)
                    var pools: [ConnectionPool<DedicatedConnection, ContinuousClock>] = []
                    do {
                        for (index, address) in self.configuration.servers.enumerated() {
                            pools += try self.addServer(index: index, address: address, to: loopPool)
                        }
                    } catch {
                        loopPool.stop()
                        throw error
                    }
                    if self.configuration.preconnect {
                        for server in loopPool.servers { server.preconnect() }
                    }
                    return (NIOLoopBound(loopPool, eventLoop: eventLoop), pools)
                }.get()
                self.loopPools.withLockedValue { $0[ObjectIdentifier(eventLoop)] = bound }
                self.dedicatedPools.withLockedValue { $0.pools.append(contentsOf: pools) }
                for pool in pools { self.addTask { await pool.run() } }
            }
        } catch {
            // The loops already built hold servers whose dedicated pools reference them until stopped.
            await self.stop(gracePeriod: .zero)
            throw error
        }
        if self.isCluster { self.addTask { await self.runClusterRefresh() } }
        if let health = self.health {
            for index in self.configuration.servers.indices { health.addEndpoint(index) }
            self.addTask { await health.run() }
            self.addTask { [weak self] in
                for await event in health.events {
                    self?.healthChanged(event)
                }
            }
        }
        do {
            let tlsSettings = self.configuration.tls
            if tlsSettings == nil || tlsSettings?.listen != nil {
                let plain = try await self.bindListener(on: self.configuration.listen, tls: nil)
                self.listeners.withLockedValue { $0.plain = plain }
            }
            if let tlsSettings, let serverTLS = self.serverTLS {
                let secure = try await self.bindListener(
                    on: tlsSettings.listen ?? self.configuration.listen,
                    tls: serverTLS
                )
                self.listeners.withLockedValue { $0.tls = secure }
            }
        } catch {
            await self.stop(gracePeriod: .zero)
            throw error
        }
        self.logger.info(
            "pool listening",
            metadata: [
                "listen":
                    "\(self.configuration.tls != nil && self.configuration.tls?.listen == nil ? "tls " : "")\(self.configuration.listen)",
                "tls_listen": "\(self.configuration.tls?.listen.map { "\($0)" } ?? "-")",
                "servers": "\(self.serverNames.joined(separator: ","))",
                "distribution": "\(self.configuration.distribution.rawValue)",
                "hash": "\(self.configuration.hash.configName)",
            ]
        )
    }

    private func bindListener(on address: ListenAddress, tls: NIOSSLContext?) async throws -> ServerListener {
        let listener = try await ServerListener.bind(
            to: Self.endpoint(address),
            options: ServerListenerOptions(
                backlog: self.configuration.backlog,
                maximumClients: self.configuration.clientConnections == 0
                    ? Int.max : self.configuration.clientConnections,
                tcpNoDelay: true,
                keepAlive: nil,
                tls: tls,
                parksIdleClients: self.configuration.clientParkAfter != nil
            ),
            eventLoopGroup: self.eventLoopGroup
        ) { [weak self] channel, ticket, restored in
            // Weak: the listening channel keeps this closure until its pipeline is torn down, a moment after
            // `stop()` returns, and a stopped pool must not outlive it.
            let loopPool = self?.loopPools.withLockedValue { $0[ObjectIdentifier(channel.eventLoop)] }
            return channel.eventLoop.makeCompletedFuture {
                guard let self, let loopPool else { throw ChannelError.ioOnClosedChannel }
                // NIO keeps each channel's last receive buffer for reuse; starting it small keeps an idle
                // client cheap, and it grows at once for clients that pipeline.
                try channel.syncOptions?.setOption(.recvAllocator, value: ClientRecvBufferAllocator())
                let sync = channel.pipeline.syncOperations
                if tls != nil { try sync.addHandler(WriteCoalescingHandler()) }
                if let idle = self.configuration.clientIdleTimeout {
                    try sync.addHandler(IdleStateHandler(allTimeout: TimeAmount(idle)))
                }
                try sync.addHandler(
                    ClientSession(loopPool: loopPool.value, parkingTicket: ticket, restoring: restored as? ParkedClient)
                )
            }
        }
        if case .unix(let path, let permissions?) = address {
            _ = chmod(path, mode_t(permissions))
        }
        return listener
    }

    /// Stops accepting, lets clients finish for up to `gracePeriod`, then closes every connection.
    func stop(gracePeriod: Duration) async {
        self.tasks.withLockedValue { $0.stopping = true }
        let listeners = self.listeners.withLockedValue { listeners in
            defer { listeners = (nil, nil) }
            return [listeners.plain, listeners.tls].compactMap { $0 }
        }
        await withTaskGroup(of: Void.self) { group in
            for listener in listeners { group.addTask { await listener.close(gracePeriod: gracePeriod) } }
        }
        let loopPools = self.loopPools.withLockedValue { $0.values }
        for loopPool in loopPools {
            try? await loopPool.eventLoop.submit { loopPool.value.stop() }.get()
        }
        let pools = self.dedicatedPools.withLockedValue { dedicated in
            dedicated.closed = true
            return dedicated.pools
        }
        for pool in pools { pool.forceClose() }
        let tasks = self.tasks.withLockedValue { tasks in
            defer { tasks = (true, []) }
            return tasks.running
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        while let running = self.shortTasks.withLockedValue({ $0.running.first?.value }) {
            await running.value
        }
        await self.probe?.close()
        // Each loop pool refers back to this runtime: dropping them breaks the cycle, so a pool that a reload
        // replaced is freed with its histograms and buffers rather than kept for the life of the process.
        self.loopPools.withLockedValue { $0.removeAll() }
        self.dedicatedPools.withLockedValue { $0.pools.removeAll() }
    }

    /// Runs a short-lived operation (a connect, an acquire) that ``stop(gracePeriod:)`` waits for.
    func spawn(_ operation: @escaping @Sendable () async -> Void) {
        self.shortTasks.withLockedValue { tasks in
            let id = tasks.nextID
            tasks.nextID += 1
            tasks.running[id] = Task(executorPreference: self.taskExecutor) {
                await operation()
                _ = self.shortTasks.withLockedValue { $0.running.removeValue(forKey: id) }
            }
        }
    }

    /// The plain listener's bound address, once listening.
    var localAddress: SocketAddress? {
        self.listeners.withLockedValue { $0.plain?.localAddress }
    }

    /// The TLS listener's bound address, once listening.
    var tlsLocalAddress: SocketAddress? {
        self.listeners.withLockedValue { $0.tls?.localAddress }
    }

    private static func endpoint(_ address: ListenAddress) -> SocketEndpoint {
        switch address {
        case .tcp(let host, let port): .tcp(host: host, port: port)
        case .unix(let path, _): .unixSocket(path: path)
        }
    }

    /// Builds server `index`'s state on `loopPool`'s event loop, where this runs: its multiplexed connections
    /// and its two dedicated-connection pools (RESP2 and RESP3), which are returned for the caller to run.
    private func addServer(
        index: Int,
        address: TwemproxyServer,
        to loopPool: LoopPool
    ) throws -> [ConnectionPool<DedicatedConnection, ContinuousClock>] {
        let eventLoop = loopPool.eventLoop
        let box = ServerBox()
        let endpoint = SocketEndpoint.tcp(host: address.host, port: address.port)
        let options = self.socketOptions
        let serverPools = try [2, 3].map { protocolVersion in
            try ConnectionPool<DedicatedConnection, ContinuousClock>(configuration: self.dedicatedPoolConfiguration) {
                let server = try await eventLoop.submit {
                    // The pool outlived its server: the runtime stopped.
                    guard let server = box.server else { throw ChannelError.ioOnClosedChannel }
                    return NIOLoopBound(server, eventLoop: eventLoop)
                }.get()
                return try await BackendServer.dialDedicated(
                    server,
                    endpoint: endpoint,
                    options: options,
                    eventLoop: eventLoop,
                    protocolVersion: protocolVersion
                )
            }
        }
        let server = BackendServer(
            index: index,
            address: address,
            runtime: self,
            eventLoop: eventLoop,
            flusher: loopPool.flusher,
            dedicatedPools: serverPools
        )
        box.server = server
        server.onStop = { box.server = nil }
        server.loopPool = loopPool
        loopPool.add(server)
        return serverPools
    }

    /// Adds servers to the running pool (cluster nodes that joined after it started): every loop gets their
    /// connections, the health monitor checks them, and their dedicated pools run. Returns their indices, or
    /// nil when the pool is stopping.
    func addServers(_ servers: [TwemproxyServer]) async -> Range<Int>? {
        guard !servers.isEmpty else { return nil }
        let indices = self.serverList.withLockedValue { list -> Range<Int> in
            let first = list.servers.count
            list.servers += servers
            list.names += servers.map(Self.name(of:))
            return first..<(first + servers.count)
        }
        self.probe?.addEndpoints(servers.map { SocketEndpoint.tcp(host: $0.host, port: $0.port) })
        let loopPools = self.loopPools.withLockedValue { Array($0.values) }
        var pools: [ConnectionPool<DedicatedConnection, ContinuousClock>] = []
        for loopPool in loopPools {
            let added = try? await loopPool.eventLoop.submit {
                () -> [ConnectionPool<DedicatedConnection, ContinuousClock>] in
                var pools: [ConnectionPool<DedicatedConnection, ContinuousClock>] = []
                for (index, address) in zip(indices, servers) {
                    pools += try self.addServer(index: index, address: address, to: loopPool.value)
                    if self.configuration.preconnect { loopPool.value.servers[index].preconnect() }
                }
                return pools
            }.get()
            pools += added ?? []
        }
        // Checked under the lock `stop()` takes the list with, so every pool is either closed there or here.
        let accepted = self.dedicatedPools.withLockedValue { dedicated in
            guard !dedicated.closed else { return false }
            dedicated.pools.append(contentsOf: pools)
            return true
        }
        guard accepted else {
            for pool in pools { pool.forceClose() }
            return nil
        }
        for pool in pools { self.addTask { await pool.run() } }
        if let health = self.health {
            for index in indices { health.addEndpoint(index) }
        }
        return indices
    }

    static func name(of server: TwemproxyServer) -> String {
        server.name ?? "\(server.host):\(server.port)"
    }

    /// Every server's name, by index.
    var serverNames: [String] { self.serverList.withLockedValue { $0.names } }

    private var dedicatedPoolConfiguration: ConnectionPoolConfiguration {
        var configuration = ConnectionPoolConfiguration()
        configuration.minimumIdleConnections = 0
        configuration.softMaximumConnections = self.configuration.dedicatedConnections
        configuration.hardMaximumConnections = self.configuration.dedicatedConnections
        configuration.maximumIdleConnections = max(1, self.configuration.dedicatedConnections / 4)
        configuration.idleTimeout = .seconds(60)
        configuration.maximumLifetime = nil
        // A client waits this long for a dedicated connection when all are lent out (or while one is dialled).
        configuration.acquireTimeout = max(.seconds(5), self.configuration.connectTimeout * 2)
        configuration.failFastAfterDialFailures = 1
        return configuration
    }

    private func addTask(_ operation: @escaping @Sendable () async -> Void) {
        let task = Task(executorPreference: self.taskExecutor) { await operation() }
        let stopping = self.tasks.withLockedValue { tasks in
            if !tasks.stopping { tasks.running.append(task) }
            return tasks.stopping
        }
        if stopping { task.cancel() }
    }

    // MARK: - Health

    private func healthChanged(_ event: HealthEvent<Int, ContinuousClock.Instant>) {
        guard let health = self.health else { return }
        switch event {
        case .ejected(let server, _):
            self.logger.warning(
                "backend ejected",
                metadata: [
                    "backend": "\(self.serverNames[server])",
                    "retry_after_ms": "\(self.configuration.serverRetryTimeout.milliseconds)",
                ]
            )
        case .unhealthy(let server):
            self.logger.warning(
                "backend failed its health checks",
                metadata: ["backend": "\(self.serverNames[server])"]
            )
        case .healthy(let server):
            self.logger.info("backend is back", metadata: ["backend": "\(self.serverNames[server])"])
            // A passing health check readmits the server: a breaker still open from the outage would fail every
            // request routed back to it, where the ejection had sent them to a live server.
            self.updateLoops { loopPool in
                if loopPool.servers.indices.contains(server) { loopPool.servers[server].resetBreaker() }
            }
        case .restored(let server):
            self.logger.info("backend is back", metadata: ["backend": "\(self.serverNames[server])"])
        case .panicEntered, .panicLeft:
            break
        }
        guard self.configuration.autoEjectHosts else { return }
        let ejected = Set(self.serverNames.indices.filter { !health.isRoutable($0) })
        let changed = self.ejection.withLockedValue { state -> Bool in
            guard state.ejected != ejected else { return false }
            let now = Int64(Date.now.timeIntervalSince1970 * 1_000_000)
            for server in ejected.subtracting(state.ejected) {
                state.ejectedAt[server] = now
                state.ejections += 1
            }
            state.ejected = ejected
            return true
        }
        guard changed else { return }
        self.updateLoops { $0.setEjected(ejected) }
    }

    /// Runs `update` on every loop's pool, on that loop.
    func updateLoops(_ update: @escaping @Sendable (LoopPool) -> Void) {
        let loopPools = self.loopPools.withLockedValue { $0.values }
        for loopPool in loopPools {
            loopPool.eventLoop.execute { update(loopPool.value) }
        }
    }

    var ejectionState: EjectionState { self.ejection.withLockedValue { $0 } }

    /// Each server's breaker state on each loop; a server counts as open when any loop's breaker is.
    func breakerStates() async -> [String?] {
        var states = Array(repeating: String?.none, count: self.serverNames.count)
        let loopPools = self.loopPools.withLockedValue { Array($0.values) }
        for loopPool in loopPools {
            guard
                let loopStates = try? await loopPool.eventLoop.submit({
                    loopPool.value.servers.map { $0.breakerState?.rawValue }
                }).get()
            else { continue }
            for (index, state) in loopStates.enumerated() where state != nil && index < states.count {
                if states[index] == nil || state != "closed" { states[index] = state }
            }
        }
        return states
    }

    /// Dedicated connections by state, over every loop.
    func dedicatedConnectionStats() -> (idle: Int, inUse: Int) {
        let pools = self.dedicatedPools.withLockedValue { $0.pools }
        return pools.reduce(into: (0, 0)) { total, pool in
            let stats = pool.stats()
            total.0 += stats.idle
            total.1 += stats.inUse
        }
    }

    // MARK: - Stats

    /// Sums every loop's counters.
    func tallies() async -> (pool: PoolCounts, servers: [ServerCounts]) {
        var pool = PoolCounts()
        var servers = Array(repeating: ServerCounts(), count: self.serverNames.count)
        let loopPools = self.loopPools.withLockedValue { Array($0.values) }
        for loopPool in loopPools {
            guard
                let (poolTally, serverTallies) = try? await loopPool.eventLoop.submit({
                    (loopPool.value.tally.counts, loopPool.value.servers.map(\.tally.counts))
                }).get()
            else { continue }
            pool = pool + poolTally
            for (index, tally) in serverTallies.enumerated() where index < servers.count {
                servers[index] = servers[index] + tally
            }
        }
        // Parked clients have no session on any loop, but they are connected.
        let parked = UInt64(self.listeners.withLockedValue { $0.plain?.parkedClientCount ?? 0 })
        pool.parkedClients = parked
        pool.clientConnections &+= parked
        return (pool, servers)
    }

    /// The `# Proxy` section of INFO in a sharded or cluster pool: the pool and each of its servers.
    func proxyInfo() -> String {
        var lines = ["# Proxy", "proxy:pool-proxy", "pool:\(self.configuration.name)"]
        let masters = Set(self.clusterMasters)
        if self.isCluster {
            lines.append("mode:cluster")
            lines.append("masters:\(masters.count)")
        } else {
            lines.append("mode:sharded")
            lines.append("distribution:\(self.configuration.distribution.rawValue)")
            lines.append("hash:\(self.configuration.hash.configName)")
        }
        lines.append("servers:\(self.serverNames.count)")
        let uptime = ContinuousClock.now - self.startedAt
        lines.append("uptime_in_seconds:\(uptime.components.seconds)")
        for (index, name) in self.serverNames.enumerated() {
            let routable = self.health?.isRoutable(index) ?? true
            let role = self.isCluster ? ",role=\(masters.contains(index) ? "master" : "replica")" : ""
            lines.append("server\(index):name=\(name)\(role),status=\(routable ? "up" : "down")")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: - Logging

    func logConnectFailure(server: String, reason: String) {
        self.logger.warning("cannot connect to backend", metadata: ["backend": "\(server)", "reason": "\(reason)"])
    }

    /// The server refused the proxy's own AUTH, HELLO or SELECT: a configuration problem more often than an outage.
    func logSetUpRejected(server: String, command: String, reply: String, retryIn delay: Duration) {
        let hint = command.uppercased() == "AUTH" ? " (check backend_auth or redis_auth)" : ""
        self.logger.error(
            "backend refused the connection set-up\(hint)",
            metadata: [
                "backend": "\(server)", "command": "\(command)", "reply": "\(reply)",
                "retry_in_ms": "\(delay.nanoseconds / 1_000_000)",
            ]
        )
    }

    func logConnectionLost(server: String, reason: String) {
        self.logger.warning("backend connection lost", metadata: ["backend": "\(server)", "reason": "\(reason)"])
    }

    /// A refused AUTH: the user name and the client's address, never the password tried.
    func logAuthenticationFailure(user: String, remote: SocketAddress?, attempt: Int) {
        let metadata: Logger.Metadata = [
            "client": "\(remote.map { "\($0)" } ?? "?")", "user": "\(user)", "attempt": "\(attempt)",
        ]
        // The first failure on a connection is worth a warning; a client guessing in a loop is not worth thousands.
        if attempt == 1 {
            self.logger.warning("client authentication failed", metadata: metadata)
        } else {
            self.logger.debug("client authentication failed", metadata: metadata)
        }
    }

    func logClientDropped(reason: String, remote: SocketAddress?) {
        self.logger.warning(
            "client disconnected",
            metadata: ["client": "\(remote.map { "\($0)" } ?? "?")", "reason": "\(reason)"]
        )
    }
}

/// Lets a dedicated pool's dial closure, created before its server, find the server later.
private final class ServerBox: @unchecked Sendable {
    // Written on the event loop (when the server is built, and when it stops), read on that loop. Strong, though
    // the server holds the pool whose dial closure holds this box: the server's stop() clears it. A weak
    // reference would move the server's reference count to a side table for good, and every request retains
    // the server: that slower retain and release cost 4% of the proxy's CPU at -P 16.
    var server: BackendServer?
}
