import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server for the admin endpoints: `GET` and `HEAD` on a fixed set of ``AdminRoutes``.
///
/// Unknown paths get 404, other methods 405 with `Allow: GET, HEAD`, malformed requests 400. Connections are
/// kept alive unless the client asks otherwise, and bounded by ``AdminServerLimits``.
///
/// ```swift
/// let server = try await AdminHTTPServer.bind(
///     host: "127.0.0.1",
///     port: 9121,
///     routes: [
///         "/metrics": { .prometheus(registry.exposition()) },
///         "/stats": { .json(await proxy.statsJSON()) },
///         "/health": { .text("ok\n") },
///     ]
/// )
/// logger.info("admin listening on port \(server.port)")
/// // ...
/// await server.close()
/// ```
public final class AdminHTTPServer: Sendable {
    /// The address the server listens on; with port 0, it carries the port the system picked.
    public let localAddress: SocketAddress
    private let listener: any Channel
    private let tracker: ConnectionTracker
    private let limits: AdminServerLimits

    /// The port the server listens on.
    public var port: Int { self.localAddress.port ?? 0 }

    private init(
        listener: any Channel,
        localAddress: SocketAddress,
        tracker: ConnectionTracker,
        limits: AdminServerLimits
    ) {
        self.listener = listener
        self.localAddress = localAddress
        self.tracker = tracker
        self.limits = limits
    }

    /// Starts listening on `host`:`port` (port 0 picks a free one).
    ///
    /// - Throws: ``AdminServerError/cannotListen(host:port:reason:)`` if the address cannot be bound.
    public static func bind(
        host: String,
        port: Int,
        routes: AdminRoutes,
        limits: AdminServerLimits = AdminServerLimits(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "AdminServer")
    ) async throws(AdminServerError) -> AdminHTTPServer {
        let tracker = ConnectionTracker(maxConnections: limits.maxConnections)
        let decoderLimits = {
            var decoderLimits = NIOHTTPDecoderLimitConfiguration()
            decoderLimits.maxHeaderFieldSize = limits.maxHeaderBytes
            decoderLimits.maxHeaderListSize = limits.maxHeaderBytes
            return decoderLimits
        }()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard tracker.admit(channel) else {
                    logger.debug("admin connection refused: too many open")
                    return channel.eventLoop.makeFailedFuture(ConnectionRefused())
                }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: TimeAmount(limits.idleTimeout)))
                    try pipeline.configureHTTPServerPipeline(
                        withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                        withDecoderLimitConfiguration: decoderLimits
                    )
                    try pipeline.addHandler(AdminHTTPHandler(routes: routes, tracker: tracker, logger: logger))
                }
            }
        let listener = try await AdminServerError.bind(bootstrap, host: host, port: port)
        guard let localAddress = listener.localAddress else {
            listener.close(promise: nil)
            throw .cannotListen(host: host, port: port, reason: "no local address")
        }
        return AdminHTTPServer(listener: listener, localAddress: localAddress, tracker: tracker, limits: limits)
    }

    /// Stops accepting connections, lets in-flight requests finish (their responses carry `Connection: close`)
    /// and returns once every connection is closed, forcing those still open after
    /// ``AdminServerLimits/shutdownGracePeriod``. Calling it again is harmless.
    public func close() async {
        await self.tracker.shutDown(listener: self.listener, gracePeriod: self.limits.shutdownGracePeriod)
    }
}
