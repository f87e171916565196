import CircuitBreaker
import NIOCore

/// A server's multiplexed connections of one protocol version: RESP2 clients share some, RESP3 clients (after a
/// plain `HELLO 3`) share others, so that neither protocol needs a connection per client.
final class MultiplexedLink {
    let protocolVersion: Int
    var ready: [BackendConnection] = []
    var connecting = 0
    var waiting = CircularBuffer<(request: ByteBuffer, target: ReplyTarget, permit: CircuitBreakerPermitTag?)>()
    var nextConnection = 0

    init(protocolVersion: Int) {
        self.protocolVersion = protocolVersion
    }

    /// The next ready connection, round robin.
    func pick() -> BackendConnection? {
        guard !self.ready.isEmpty else { return nil }
        let connection = self.ready[self.nextConnection % self.ready.count]
        self.nextConnection &+= 1
        return connection
    }
}
