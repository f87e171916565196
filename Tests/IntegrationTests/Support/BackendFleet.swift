import Foundation
import LoadBalancer
import Logging
import NIOCore
import NIOPosix
import PoolProxyConfig
import PoolProxyKit
import RedisTestSupport
import SocketIO

/// Restartable redis-servers (``BackendRedis``), optionally followed by backends that never answer
/// (``BackendSilentServer``), behind an in-process pool-proxy: the set-up of the failure tests.
///
/// ```swift
/// try await BackendFleet.with(backends: 3) { pool in pool.timeout = .milliseconds(300) } body: { fleet in
///     let client = try await fleet.connect()
///     fleet.backends[1].kill()
/// }
/// ```
final class BackendFleet: Sendable {
    let backends: [BackendRedis]
    let silent: [BackendSilentServer]
    let proxy: PoolProxy
    let port: Int
    let router: TwemproxyRouter
    let group: MultiThreadedEventLoopGroup

    private init(
        backends: [BackendRedis],
        silent: [BackendSilentServer],
        proxy: PoolProxy,
        port: Int,
        router: TwemproxyRouter,
        group: MultiThreadedEventLoopGroup
    ) {
        self.backends = backends
        self.silent = silent
        self.proxy = proxy
        self.port = port
        self.router = router
        self.group = group
    }

    /// Starts `backends` redis-servers and `silentBackends` mute ones (in that order in the pool's server list)
    /// and a proxy in front of them. `configure` may change the pool; its servers and listen address are set.
    static func start(
        backends: Int,
        silentBackends: Int = 0,
        redisArguments: [String] = [],
        configure: (inout ServerPoolConfiguration) -> Void = { _ in }
    ) async throws -> BackendFleet {
        var redis: [BackendRedis] = []
        var silent: [BackendSilentServer] = []
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            for _ in 0..<backends { redis.append(try BackendRedis.start(extraArguments: redisArguments)) }
            for _ in 0..<silentBackends { silent.append(try await BackendSilentServer.start(group: group)) }
            var pool = ServerPoolConfiguration(name: "test", listen: .tcp(host: "127.0.0.1", port: 0))
            pool.servers = (redis.map(\.port) + silent.map(\.port)).map { TwemproxyServer(host: "127.0.0.1", port: $0) }
            // As in ProxyHarness: a slower build (a sanitizer) must not eject healthy servers (`TestTime`).
            pool.connectTimeout = TestTime.scaled(pool.connectTimeout)
            if let timeout = pool.healthCheck?.timeout { pool.healthCheck?.timeout = TestTime.scaled(timeout) }
            configure(&pool)
            var logger = Logger(label: "pool-proxy-failure-test")
            logger.logLevel = .critical
            let proxy = try await PoolProxy.start(
                configuration: ProxyConfiguration(pools: [pool]),
                eventLoopGroup: group,
                logger: logger,
                // Its own thread: tests that block Swift's few cooperative threads must not starve the proxy.
                taskExecutor: ProxyThreadExecutor(label: "pool-proxy-fleet")
            )
            let router = TwemproxyRouter(
                servers: pool.servers,
                hash: pool.hash,
                distribution: pool.distribution,
                hashTag: pool.hashTag
            )
            return BackendFleet(
                backends: redis,
                silent: silent,
                proxy: proxy,
                port: proxy.localAddress(ofPool: "test")?.port ?? 0,
                router: router,
                group: group
            )
        } catch {
            for backend in redis { backend.stop() }
            for server in silent { await server.stop() }
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Starts a fleet (see ``start(backends:silentBackends:redisArguments:configure:)``), runs `body`, and stops
    /// the proxy and every backend however `body` ends.
    static func with<Result>(
        backends: Int,
        silentBackends: Int = 0,
        redisArguments: [String] = [],
        configure: (inout ServerPoolConfiguration) -> Void = { _ in },
        body: (BackendFleet) async throws -> Result
    ) async throws -> Result {
        let fleet = try await Self.start(
            backends: backends,
            silentBackends: silentBackends,
            redisArguments: redisArguments,
            configure: configure
        )
        do {
            let result = try await body(fleet)
            await fleet.stop()
            return result
        } catch {
            await fleet.stop()
            throw error
        }
    }

    /// The server index a key maps to while no server is ejected.
    func serverIndex(forKey key: String) -> Int {
        self.router.index(forKey: Array(key.utf8)) ?? -1
    }

    /// A name the proxy uses for server `index` in its error replies.
    func serverName(_ index: Int) -> String {
        let port =
            index < self.backends.count ? self.backends[index].port : self.silent[index - self.backends.count].port
        return "127.0.0.1:\(port)"
    }

    /// `count` keys, `prefix:0`, `prefix:1`, ..., that map to server `index`.
    func keys(on index: Int, count: Int, prefix: String) -> [String] {
        var keys: [String] = []
        var candidate = 0
        while keys.count < count {
            let key = "\(prefix):\(candidate)"
            if self.serverIndex(forKey: key) == index { keys.append(key) }
            candidate += 1
        }
        return keys
    }

    /// A client connection to the proxy. `requestTimeout` is the bound after which the test treats a request as
    /// hung (the connection then closes, which the tests detect).
    func connect(requestTimeout: Duration = .seconds(5)) async throws -> RESPConnection {
        var configuration = RESPConnectionConfiguration()
        configuration.requestTimeout = requestTimeout
        return try await RESPConnection.connect(
            to: .tcp(host: "127.0.0.1", port: self.port),
            configuration: configuration,
            eventLoopGroup: self.group
        )
    }

    /// Stops the proxy and every backend.
    func stop() async {
        await self.proxy.shutdown(gracePeriod: .zero)
        for backend in self.backends { backend.stop() }
        for server in self.silent { await server.stop() }
        try? await self.group.shutdownGracefully()
    }
}
