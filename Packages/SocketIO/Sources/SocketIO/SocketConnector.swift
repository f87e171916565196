import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Opens client sockets: TCP to an IPv4 or IPv6 address or a DNS name, or a Unix socket, optionally with TLS.
///
/// The returned channel is connected and, with TLS, past a verified handshake. Your `channelInitializer` adds the
/// protocol handlers; TLS, when configured, sits in front of them.
///
/// ```swift
/// let channel = try await SocketConnector.connect(to: .tcp(host: "localhost", port: 6379)) { channel in
///     channel.eventLoop.makeCompletedFuture {
///         try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPTokenDecoder(mode: .reply)))
///     }
/// }
/// ```
public enum SocketConnector {
    /// Connects to `endpoint`.
    ///
    /// - Throws: ``SocketIOError`` with code `connectionRefused`, `addressResolutionFailed`, `connectTimeout` or
    ///   `tlsHandshakeFailed`.
    public static func connect(
        to endpoint: SocketEndpoint,
        options: SocketClientOptions = SocketClientOptions(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        channelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        let connectTimeout = TimeAmount(options.connectTimeout)
        let tls = options.tls
        // SNI may not carry an IP address; without a name, NIOSSL checks the certificate against the peer's address.
        let serverName = (tls?.serverName ?? endpoint.serverNameIndicationHost).flatMap {
            SocketEndpoint.isIPLiteral($0) ? nil : $0
        }
        let handshakes = TLSHandshakeRegistry()

        var bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(NIOSSLClientHandler(context: tls.context, serverHostname: serverName))
                        let handshake = channel.eventLoop.makePromise(of: Void.self)
                        handshakes.record(handshake.futureResult, for: channel)
                        try sync.addHandler(TLSHandshakeObserver(promise: handshake, timeout: connectTimeout))
                    }
                }.flatMap {
                    channelInitializer(channel)
                }
            }

        let channel: any Channel
        do {
            switch endpoint {
            case .tcp(let host, let port):
                bootstrap = bootstrap.channelOption(.tcpOption(.tcp_nodelay), value: options.tcpNoDelay ? 1 : 0)
                for (option, value) in options.keepAlive?.socketOptions ?? [] {
                    bootstrap = bootstrap.channelOption(option, value: value)
                }
                channel = try await bootstrap.connect(host: host, port: port).get()
            case .unixSocket(let path):
                channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
        } catch {
            throw SocketIOError.connecting(to: endpoint, error)
        }

        if let handshake = handshakes.handshake(of: channel) {
            do {
                try await handshake.get()
            } catch {
                try? await channel.close()
                throw SocketIOError.connecting(to: endpoint, error)
            }
        }
        return channel
    }
}
