#if os(Linux)
import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

extension ServerListener {
    /// Binds a TCP listener whose clients the listener's ``ParkingLot`` accepts, so that it knows their sockets.
    ///
    /// NIO still gets the listening socket, for ``localAddress`` and for closing, but never reads from it.
    static func bindParking(
        host: String,
        port: Int,
        options: ServerListenerOptions,
        registry: ChildChannelRegistry,
        eventLoopGroup: any EventLoopGroup,
        childChannelInitializer:
            @escaping @Sendable (any Channel, ParkingTicket?, (any Sendable)?) -> EventLoopFuture<
                Void
            >
    ) async throws -> ServerListener {
        let endpoint = SocketEndpoint.tcp(host: host, port: port)
        let descriptor: CInt
        do {
            descriptor = try Self.listeningSocket(host: host, port: port, backlog: options.backlog)
        } catch {
            throw SocketIOError(.ioError, "cannot listen on \(endpoint): \(error)", underlying: error)
        }
        let lotDescriptor = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard lotDescriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw SocketIOError(.ioError, "cannot listen on \(endpoint): dup failed: \(reason)")
        }
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.autoRead, value: false)
                .withBoundSocket(descriptor)
                .get()
        } catch {
            Glibc.close(lotDescriptor)
            throw SocketIOError(.ioError, "cannot listen on \(endpoint): \(error)", underlying: error)
        }
        // NIO listens again with its own default backlog when it takes the socket; the listener's is the one wanted.
        _ = listen(lotDescriptor, CInt(clamping: options.backlog))
        let adoption = Adoption(
            group: eventLoopGroup,
            registry: registry,
            options: options,
            childChannelInitializer: childChannelInitializer
        )
        let lot: ParkingLot
        do {
            lot = try ParkingLot(listenDescriptor: lotDescriptor, registry: registry) { lot, descriptor, restored in
                adoption.adopt(descriptor, lot: lot, restored: restored)
            }
        } catch {
            Glibc.close(lotDescriptor)
            try? await channel.close()
            throw error
        }
        return ServerListener(channel: channel, registry: registry, unixSocketPath: nil, parkingLot: lot)
    }

    /// A bound, listening, non-blocking TCP socket for `host` and `port`.
    private static func listeningSocket(host: String, port: Int, backlog: Int) throws -> CInt {
        let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let family = address.protocol.rawValue
        let descriptor = socket(family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketIOError(.ioError, "socket: \(String(cString: strerror(errno)))") }
        var one: CInt = 1
        let failure: String? = address.withSockAddr { pointer, length in
            if setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)) != 0 {
                return "setsockopt(SO_REUSEADDR)"
            }
            if Glibc.bind(descriptor, pointer, socklen_t(length)) != 0 { return "bind" }
            if listen(descriptor, CInt(clamping: backlog)) != 0 { return "listen" }
            return nil
        }
        if let failure {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw SocketIOError(.ioError, "\(failure): \(reason)")
        }
        return descriptor
    }

    /// Turns an accepted or returning socket into a channel, as a `ServerBootstrap` would a child.
    struct Adoption: Sendable {
        let group: any EventLoopGroup
        let registry: ChildChannelRegistry
        let options: ServerListenerOptions
        let childChannelInitializer: @Sendable (any Channel, ParkingTicket?, (any Sendable)?) -> EventLoopFuture<Void>

        func adopt(_ descriptor: CInt, lot: ParkingLot, restored: (any Sendable)?) {
            var bootstrap = ClientBootstrap(group: self.group)
                .channelOption(.tcpOption(.tcp_nodelay), value: self.options.tcpNoDelay ? 1 : 0)
            if restored == nil {
                // Socket options stay set while a client is parked.
                for (option, value) in self.options.keepAlive?.socketOptions ?? [] {
                    bootstrap = bootstrap.channelOption(option, value: value)
                }
            }
            let registry = self.registry
            let initializer = self.childChannelInitializer
            let ticket = ParkingTicket(lot: lot, descriptor: descriptor)
            // Set on the channel's loop by the initializer, read there when the set-up fails.
            let admitted = NIOLockedValueBox(false)
            registry.beginAdoption()
            bootstrap.channelInitializer { channel in
                let admission = registry.admit(channel, returning: restored != nil)
                admitted.withLockedValue { $0 = true }
                return ServerListener.initialize(
                    channel,
                    admission: admission,
                    tls: nil,
                    ticket: ticket,
                    restored: restored,
                    initializer
                )
            }.withConnectedSocket(descriptor).whenComplete { result in
                // A parked client whose channel failed before admission is gone, and no longer counted.
                if case .failure = result, restored != nil, !admitted.withLockedValue({ $0 }) {
                    registry.forgetParked()
                }
                registry.endAdoption()
            }
        }
    }
}
#endif
