import Logging
import NIOCore
import NIOPosix

/// twemproxy's classic stats port: every connection receives the stats JSON, followed by a newline, and is
/// closed. Nothing the client sends is read as a command, as with `nutcracker -s`.
///
/// ```swift
/// let stats = try await StatsPortServer.bind(host: "0.0.0.0", port: 22222) {
///     await proxy.statsJSON()
/// }
/// // $ nc 127.0.0.1 22222
/// // {"service":"nutcracker", ...}
/// await stats.close()
/// ```
public final class StatsPortServer: Sendable {
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

    /// Starts listening on `host`:`port` (port 0 picks a free one). `statsJSON` is called once per connection;
    /// a trailing newline is added unless it already ends with one. ``AdminServerLimits/idleTimeout`` bounds
    /// each whole exchange.
    ///
    /// - Throws: ``AdminServerError/cannotListen(host:port:reason:)`` if the address cannot be bound.
    public static func bind(
        host: String,
        port: Int,
        limits: AdminServerLimits = AdminServerLimits(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "AdminServer"),
        statsJSON: @escaping @Sendable () async -> String
    ) async throws(AdminServerError) -> StatsPortServer {
        let tracker = ConnectionTracker(maxConnections: limits.maxConnections)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard tracker.admit(channel) else {
                    logger.debug("stats connection refused: too many open")
                    return channel.eventLoop.makeFailedFuture(ConnectionRefused())
                }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(allTimeout: TimeAmount(limits.idleTimeout)))
                    try pipeline.addHandler(StatsPortHandler(statsJSON: statsJSON))
                }
            }
        let listener = try await AdminServerError.bind(bootstrap, host: host, port: port)
        guard let localAddress = listener.localAddress else {
            listener.close(promise: nil)
            throw .cannotListen(host: host, port: port, reason: "no local address")
        }
        return StatsPortServer(listener: listener, localAddress: localAddress, tracker: tracker, limits: limits)
    }

    /// Stops accepting connections and returns once the ones being served are closed, forcing those still open
    /// after ``AdminServerLimits/shutdownGracePeriod``. Calling it again is harmless.
    public func close() async {
        await self.tracker.shutDown(listener: self.listener, gracePeriod: self.limits.shutdownGracePeriod)
    }
}
