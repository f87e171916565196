import NIOCore
import NIOPosix

/// A loopback TCP server that accepts connections and reads everything sent to it, but never answers: a backend
/// that is up but hung.
///
/// ```swift
/// let silent = try await BackendSilentServer.start(group: group)
/// defer { Task { await silent.stop() } }
/// ```
final class BackendSilentServer: Sendable {
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    static func start(group: any EventLoopGroup) async throws -> BackendSilentServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Discard()) }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return BackendSilentServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() async {
        try? await self.channel.close()
    }

    /// Drops every byte it reads.
    private final class Discard: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }
}
