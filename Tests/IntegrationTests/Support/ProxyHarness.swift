import Foundation
import LoadBalancer
import Logging
import NIOCore
import NIOPosix
import PoolProxyConfig
import PoolProxyKit
import RedisTestSupport

/// A pool-proxy running in-process in front of real redis-servers, for integration tests.
///
/// ```swift
/// let harness = try await ProxyHarness.start(backends: 3) { pool in pool.hashTag = TwemproxyHashTag("{}") }
/// defer { harness.stopServers() }
/// let reply = try harness.cli(["SET", "k", "v"])
/// await harness.stop()
/// ```
final class ProxyHarness: Sendable {
    let servers: [RedisServer]
    let proxy: PoolProxy
    let port: Int
    let group: MultiThreadedEventLoopGroup

    private init(servers: [RedisServer], proxy: PoolProxy, port: Int, group: MultiThreadedEventLoopGroup) {
        self.servers = servers
        self.proxy = proxy
        self.port = port
        self.group = group
    }

    /// Starts `backends` redis-servers and a one-pool proxy in front of them on a free port. `configure` may
    /// change the pool before it starts; its servers and listen address are already filled in.
    static func start(
        backends: Int = 1,
        threads: Int = 2,
        redisArguments: [String] = [],
        logger: Logger? = nil,
        configure: (inout ServerPoolConfiguration) -> Void = { _ in }
    ) async throws -> ProxyHarness {
        var servers: [RedisServer] = []
        do {
            for _ in 0..<backends { servers.append(try RedisServer.start(extraArguments: redisArguments)) }
            var pool = ServerPoolConfiguration(name: "test", listen: .tcp(host: "127.0.0.1", port: 0))
            pool.servers = servers.map { TwemproxyServer(host: "127.0.0.1", port: $0.port) }
            // Under a sanitizer a PING or a connect takes several times longer; a healthy server must not be
            // ejected for it (`TestTime`).
            pool.connectTimeout = TestTime.scaled(pool.connectTimeout)
            if let timeout = pool.healthCheck?.timeout { pool.healthCheck?.timeout = TestTime.scaled(timeout) }
            configure(&pool)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            let logger =
                logger
                ?? {
                    var quiet = Logger(label: "pool-proxy-test")
                    quiet.logLevel = .critical
                    return quiet
                }()
            let proxy = try await PoolProxy.start(
                configuration: ProxyConfiguration(pools: [pool]),
                eventLoopGroup: group,
                logger: logger,
                // Its own thread: tests that block Swift's few cooperative threads must not starve the proxy.
                taskExecutor: ProxyThreadExecutor(label: "pool-proxy-harness")
            )
            let port = proxy.localAddress(ofPool: "test")?.port ?? 0
            return ProxyHarness(servers: servers, proxy: proxy, port: port, group: group)
        } catch {
            for server in servers { server.stop() }
            throw error
        }
    }

    /// Stops the proxy and every server.
    func stop() async {
        await self.proxy.shutdown(gracePeriod: .zero)
        try? await self.group.shutdownGracefully()
        for server in self.servers { server.stop() }
    }

    /// Runs `redis-cli` against the proxy and returns its standard output.
    func cli(_ arguments: [String], input: String? = nil) throws -> String {
        guard let executable = RedisServer.which("redis-cli") else {
            throw RedisServer.StartError(description: "redis-cli is not installed; run Scripts/test, which installs it")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-h", "127.0.0.1", "-p", String(self.port)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            try ProcessLauncher.run(process)
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try ProcessLauncher.run(process)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
