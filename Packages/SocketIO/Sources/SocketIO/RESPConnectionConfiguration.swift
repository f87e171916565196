import Logging
import RESPCodec

/// Everything a ``RESPConnection`` needs besides its endpoint.
///
/// ```swift
/// var configuration = RESPConnectionConfiguration()
/// configuration.requestTimeout = .seconds(1)
/// configuration.handshake = RESPHandshake(password: "secret", database: 1)
/// configuration.socket.tls = try ClientTLSOptions(caFile: "ca.crt", serverName: "localhost")
/// ```
public struct RESPConnectionConfiguration: Sendable {
    /// Connect timeout, `TCP_NODELAY`, keep-alive and TLS.
    public var socket: SocketClientOptions
    /// How long a request may wait for its reply, counted from the moment it is handed to the connection. On
    /// expiry the connection is closed and every request on it fails. `nil` waits forever.
    public var requestTimeout: Duration?
    /// AUTH, HELLO, SELECT and CLIENT SETNAME sent on connect.
    public var handshake: RESPHandshake
    /// Bounds on what the server may send.
    public var parserLimits: RESPParser.Limits
    /// Receives RESP3 push frames (`>`), such as client-tracking invalidations. It runs on the connection's event
    /// loop and must not block. Without it, a push frame marks the connection unhealthy. Push frames never answer
    /// a request.
    public var onPush: (@Sendable (RESPToken) -> Void)?
    /// Where unexpected input and closes are logged.
    public var logger: Logger

    /// Creates a configuration with default socket options, a 5 second request timeout and no handshake.
    public init(
        socket: SocketClientOptions = SocketClientOptions(),
        requestTimeout: Duration? = .seconds(5),
        handshake: RESPHandshake = RESPHandshake(),
        parserLimits: RESPParser.Limits = RESPParser.Limits(),
        onPush: (@Sendable (RESPToken) -> Void)? = nil,
        logger: Logger = Logger(label: "SocketIO.RESPConnection")
    ) {
        self.socket = socket
        self.requestTimeout = requestTimeout
        self.handshake = handshake
        self.parserLimits = parserLimits
        self.onPush = onPush
        self.logger = logger
    }
}
