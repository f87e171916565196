import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Accepts clients on a TCP port or a Unix socket, for a proxy or any other server.
///
/// The listener owns the socket, the client limit, TLS and shutdown; your `childChannelInitializer` builds each
/// client's pipeline behind TLS. A client over ``ServerListenerOptions/maximumClients`` is sent
/// `-ERR max number of clients reached` and closed before your initializer ever sees it. With
/// ``ServerListenerOptions/parksIdleClients``, handlers can park idle clients (see ``ParkingTicket``).
///
/// ```swift
/// let listener = try await ServerListener.bind(to: .tcp(host: "127.0.0.1", port: 22121)) { channel in
///     channel.eventLoop.makeCompletedFuture {
///         try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPTokenDecoder(mode: .request)))
///     }
/// }
/// print(listener.localAddress!)
/// await listener.close(gracePeriod: .seconds(5))
/// ```
public final class ServerListener: Sendable {
    /// The listening channel. A listener that parks clients accepts them itself, and this channel never reads.
    public let channel: any Channel
    private let registry: ChildChannelRegistry
    private let unixSocketPath: String?
    #if os(Linux)
    private let parkingLot: ParkingLot?
    #endif

    #if os(Linux)
    init(channel: any Channel, registry: ChildChannelRegistry, unixSocketPath: String?, parkingLot: ParkingLot?) {
        self.channel = channel
        self.registry = registry
        self.unixSocketPath = unixSocketPath
        self.parkingLot = parkingLot
    }
    #else
    private init(channel: any Channel, registry: ChildChannelRegistry, unixSocketPath: String?) {
        self.channel = channel
        self.registry = registry
        self.unixSocketPath = unixSocketPath
    }
    #endif

    /// The bound address: read it to learn the port chosen for `port: 0`.
    public var localAddress: SocketAddress? {
        self.channel.localAddress
    }

    /// Clients admitted and still connected, parked ones included.
    public var connectedClientCount: Int {
        self.registry.count
    }

    /// Clients parked now (see ``ParkingTicket``).
    public var parkedClientCount: Int {
        self.registry.parkedCount
    }

    /// Whether handlers get a ``ParkingTicket``: ``ServerListenerOptions/parksIdleClients`` on Linux, for a
    /// TCP listener without TLS.
    public var parksIdleClients: Bool {
        #if os(Linux)
        self.parkingLot != nil
        #else
        false
        #endif
    }

    /// Binds and starts accepting.
    ///
    /// - Parameters:
    ///   - endpoint: A host and port (`port: 0` picks a free one), or a Unix socket path (a stale file there is
    ///     replaced).
    ///   - options: Backlog, client limit, socket options and TLS.
    ///   - eventLoopGroup: Where the listener and its clients run.
    ///   - childChannelInitializer: Adds the protocol handlers to each admitted client.
    public static func bind(
        to endpoint: SocketEndpoint,
        options: ServerListenerOptions = ServerListenerOptions(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> ServerListener {
        var options = options
        options.parksIdleClients = false
        return try await Self.bind(to: endpoint, options: options, eventLoopGroup: eventLoopGroup) { channel, _, _ in
            childChannelInitializer(channel)
        }
    }

    /// Binds and starts accepting, giving each client's initializer a ``ParkingTicket`` when the listener parks
    /// idle clients, and the state its handler parked it with when it comes back from parking.
    ///
    /// ```swift
    /// let listener = try await ServerListener.bind(
    ///     to: .tcp(host: "127.0.0.1", port: 22121),
    ///     options: ServerListenerOptions(parksIdleClients: true)
    /// ) { channel, ticket, restored in
    ///     channel.eventLoop.makeCompletedFuture {
    ///         try channel.pipeline.syncOperations.addHandler(Session(ticket: ticket, restoring: restored))
    ///     }
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - endpoint: A host and port (`port: 0` picks a free one), or a Unix socket path (a stale file there is
    ///     replaced).
    ///   - options: Backlog, client limit, socket options, TLS and parking.
    ///   - eventLoopGroup: Where the listener and its clients run.
    ///   - childChannelInitializer: Adds the protocol handlers to each admitted client; its ticket is `nil`
    ///     when clients are not parked, and its restored state `nil` for a newly accepted client.
    public static func bind(
        to endpoint: SocketEndpoint,
        options: ServerListenerOptions,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        childChannelInitializer:
            @escaping @Sendable (any Channel, ParkingTicket?, (any Sendable)?) -> EventLoopFuture<
                Void
            >
    ) async throws -> ServerListener {
        let registry = ChildChannelRegistry(maximum: options.maximumClients)
        #if os(Linux)
        if options.parksIdleClients, options.tls == nil, case .tcp(let host, let port) = endpoint {
            return try await Self.bindParking(
                host: host,
                port: port,
                options: options,
                registry: registry,
                eventLoopGroup: eventLoopGroup,
                childChannelInitializer: childChannelInitializer
            )
        }
        #endif
        let tls = options.tls
        var bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: Int32(clamping: options.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                Self.initialize(
                    channel,
                    admission: registry.admit(channel),
                    tls: tls,
                    ticket: nil,
                    restored: nil,
                    childChannelInitializer
                )
            }

        let channel: any Channel
        do {
            switch endpoint {
            case .tcp(let host, let port):
                bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: options.tcpNoDelay ? 1 : 0)
                for (option, value) in options.keepAlive?.socketOptions ?? [] {
                    bootstrap = bootstrap.childChannelOption(option, value: value)
                }
                channel = try await bootstrap.bind(host: host, port: port).get()
            case .unixSocket(let path):
                channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            }
        } catch {
            throw SocketIOError(.ioError, "cannot listen on \(endpoint): \(error)", underlying: error)
        }
        var unixSocketPath: String?
        if case .unixSocket(let path) = endpoint {
            unixSocketPath = path
        }
        #if os(Linux)
        return ServerListener(channel: channel, registry: registry, unixSocketPath: unixSocketPath, parkingLot: nil)
        #else
        return ServerListener(channel: channel, registry: registry, unixSocketPath: unixSocketPath)
        #endif
    }

    /// Admits `channel` (or refuses it) and builds its pipeline.
    static func initialize(
        _ channel: any Channel,
        admission: ChildChannelRegistry.Admission,
        tls: NIOSSLContext?,
        ticket: ParkingTicket?,
        restored: (any Sendable)?,
        _ childChannelInitializer:
            @escaping @Sendable (any Channel, ParkingTicket?, (any Sendable)?) -> EventLoopFuture<Void>
    ) -> EventLoopFuture<Void> {
        if case .refused = admission {
            // Failing the set-up makes the bootstrap close the channel before it registers it (closing it from
            // inside the initializer trips an assertion in NIO's `ClientBootstrap`).
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        return channel.eventLoop.makeCompletedFuture {
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
            }
            if case .overLimit = admission {
                try channel.pipeline.syncOperations.addHandler(MaxClientsRefusalHandler())
            }
        }.flatMap {
            switch admission {
            case .admitted:
                return childChannelInitializer(channel, ticket, restored)
            case .drain:
                // Accepted before the listener stopped accepting, so served like the clients already connected:
                // asked to finish once its channel is active (the bootstrap activates it after this set-up).
                return childChannelInitializer(channel, ticket, restored).map {
                    channel.eventLoop.execute {
                        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                    }
                }
            case .overLimit, .refused:
                return channel.eventLoop.makeSucceededVoidFuture()
            }
        }
    }

    /// Stops accepting, asks every client to finish (`ChannelShouldQuiesceEvent`), and closes whoever is still
    /// connected when `gracePeriod` runs out. Returns once every client is closed. A Unix socket file is removed.
    ///
    /// A client accepted just before, whose channel is not set up yet, is asked to finish as soon as it is; a
    /// listener that parks clients also accepts what is still in its backlog, and brings back each parked client
    /// that has sent something, so that no request sent before the close is left unread.
    public func close(gracePeriod: Duration) async {
        self.registry.beginClosing()
        try? await self.channel.close()
        #if os(Linux)
        await self.parkingLot?.close()
        #endif
        if let path = self.unixSocketPath {
            _ = unlink(path)
        }
        for child in self.registry.beginDraining() {
            child.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let registry = self.registry
        let forcedClose = self.channel.eventLoop.scheduleTask(in: TimeAmount(gracePeriod)) {
            for child in registry.forceClose() {
                child.close(promise: nil)
            }
        }
        await registry.whenEmpty()
        forcedClose.cancel()
    }
}
