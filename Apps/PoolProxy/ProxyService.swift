import AdminServer
import BuildInfo
import Logging
import NIOCore
import NIOPosix
import PoolProxyConfig
import PoolProxyKit
import ServiceLifecycle
import UnixSignals

/// The proxy as a swift-service-lifecycle service: starts the pools and the admin ports, reloads on SIGHUP, and
/// drains on graceful shutdown (SIGTERM, SIGINT).
struct ProxyService: Service {
    let configuration: ProxyConfiguration
    let configurationFile: String?
    let admin: String?
    let statsPort: (host: String, port: Int)?
    let threads: Int
    let gracePeriod: Duration
    let logger: Logger

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.threads)
        let proxy: PoolProxy
        do {
            proxy = try await PoolProxy.start(
                configuration: self.configuration,
                eventLoopGroup: group,
                logger: self.logger,
                version: BuildInfo.version(ofApp: "pool-proxy") ?? "unknown"
            )
        } catch {
            try? await group.shutdownGracefully()
            throw ProxyStartError(description: "cannot start: \(error)")
        }
        var adminServer: AdminHTTPServer?
        var statsServer: StatsPortServer?
        do {
            if let admin = self.admin {
                let (host, port) = try Self.hostAndPort(admin, flag: "--admin")
                adminServer = try await AdminHTTPServer.bind(
                    host: host,
                    port: port,
                    routes: Self.routes(proxy),
                    group: group,
                    logger: self.logger
                )
                self.logger.info("admin listening", metadata: ["address": "\(host):\(adminServer!.port)"])
            }
            if let (host, port) = self.statsPort {
                statsServer = try await StatsPortServer.bind(host: host, port: port, group: group, logger: self.logger)
                {
                    await proxy.twemproxyStats().json()
                }
                self.logger.info("stats port listening", metadata: ["address": "\(host):\(statsServer!.port)"])
            }
        } catch {
            await adminServer?.close()
            await proxy.shutdown(gracePeriod: .zero)
            try? await group.shutdownGracefully()
            throw ProxyStartError(description: "cannot start: \(error)")
        }

        await withDiscardingTaskGroup { tasks in
            if let file = self.configurationFile {
                tasks.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        await self.reload(proxy, from: file)
                    }
                }
            }
            try? await gracefulShutdown()
            self.logger.info("draining", metadata: ["grace_period_ms": "\(self.gracePeriod.components.seconds * 1000)"])
            tasks.cancelAll()
        }
        await adminServer?.close()
        await statsServer?.close()
        await proxy.shutdown(gracePeriod: self.gracePeriod)
        try? await group.shutdownGracefully()
        self.logger.info("stopped")
    }

    private func reload(_ proxy: PoolProxy, from file: String) async {
        let configuration: ProxyConfiguration
        do {
            configuration = try ProxyConfiguration.load(file: file)
        } catch {
            self.logger.error("reload refused; the running configuration stays", metadata: ["error": "\(error)"])
            return
        }
        do {
            try await proxy.reload(configuration, gracePeriod: self.gracePeriod)
            self.logger.info("configuration reloaded", metadata: ["file": "\(file)"])
        } catch {
            self.logger.error("reload partly failed", metadata: ["error": "\(error)"])
        }
    }

    static func routes(_ proxy: PoolProxy) -> AdminRoutes {
        [
            "/metrics": { .prometheus(await proxy.prometheusExposition()) },
            "/stats": { .json(await proxy.twemproxyStats().json()) },
            "/health": {
                let (healthy, report) = await proxy.health()
                return .text(report, status: healthy ? .ok : .serviceUnavailable)
            },
        ]
    }

    static func hostAndPort(_ address: String, flag: String) throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ProxyStartError(description: "\(flag) \(address): expected host:port") }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
