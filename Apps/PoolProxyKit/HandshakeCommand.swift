import NIOCore
import RESPCodec

/// A command the proxy sends on every new backend connection before any client request: `AUTH` for
/// `redis_auth`, `SELECT` for `redis_db`.
struct HandshakeCommand: Sendable {
    let name: String
    let bytes: ByteBuffer

    init(_ arguments: [String]) {
        self.name = arguments[0]
        var bytes = ByteBuffer()
        bytes.writeRESPCommand(arguments)
        self.bytes = bytes
    }
}
