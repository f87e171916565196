import NIOCore
import NIOPosix

/// A loopback TCP server that accepts connections and never answers, to stand in for a hung Redis.
///
/// ```swift
/// let server = try await SilentServer.start()
/// defer { server.stop() }
/// ```
final class SilentServer: Sendable {
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    static func start() async throws -> SilentServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return SilentServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func stop() {
        self.channel.close(promise: nil)
    }
}
