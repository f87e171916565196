import NIOCore
import NIOPosix
import RESPCodec

/// A scripted stand-in for redis-server, in-process on a loopback port, that checks what the proxy forwards.
///
/// Every frame the proxy sends is parsed as a request, with the limits the proxy applies to its clients: a frame
/// that does not parse is recorded as malformed, since the proxy must never forward what it refused itself.
/// What the backend answers is set by its ``FuzzBackendScript``.
///
/// ```swift
/// let backend = try FuzzBackend.start(group: group, limits: limits)
/// backend.script.setMode(.echo)
/// ```
final class FuzzBackend: Sendable {
    let port: Int
    let script: FuzzBackendScript
    private let channel: any Channel

    private init(channel: any Channel, port: Int, script: FuzzBackendScript) {
        self.channel = channel
        self.port = port
        self.script = script
    }

    static func start(group: any EventLoopGroup, limits: RESPParser.Limits) throws -> FuzzBackend {
        let script = FuzzBackendScript(limits: limits)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FuzzBackendHandler(script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .wait()
        return FuzzBackend(channel: channel, port: channel.localAddress?.port ?? 0, script: script)
    }
}
