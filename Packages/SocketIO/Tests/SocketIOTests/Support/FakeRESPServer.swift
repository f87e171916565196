import NIOCore
import RESPCodec
import SocketIO

/// A scripted RESP server on a ``ServerListener``: it may greet each client unasked, and answers each request with
/// whatever raw bytes `reply` returns.
struct FakeRESPServer {
    let listener: ServerListener

    var port: Int {
        self.listener.localAddress?.port ?? 0
    }

    static func start(
        on endpoint: SocketEndpoint = .tcp(host: "127.0.0.1", port: 0),
        options: ServerListenerOptions = ServerListenerOptions(),
        greeting: String? = nil,
        reply: @escaping @Sendable (RESPValue) -> String = { _ in "+PONG\r\n" }
    ) async throws -> FakeRESPServer {
        let listener = try await ServerListener.bind(to: endpoint, options: options) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(RESPTokenDecoder(mode: .request))
                )
                try channel.pipeline.syncOperations.addHandler(
                    ScriptedReplyHandler(greeting: greeting, reply: reply)
                )
            }
        }
        return FakeRESPServer(listener: listener)
    }
}
