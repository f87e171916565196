/// Every failure SocketIO reports, with a code to switch on.
///
/// ```swift
/// do {
///     _ = try await connection.send("GET", "key")
/// } catch let error as SocketIOError where error.code == .closedByPeer {
///     // reconnect with ExponentialBackoff
/// }
/// ```
public struct SocketIOError: Error, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Hashable, Sendable {
        /// Nothing listens at the endpoint (`ECONNREFUSED`, or a missing Unix socket file).
        case connectionRefused
        /// The host name did not resolve.
        case addressResolutionFailed
        /// The connect or the TLS handshake took longer than the connect timeout.
        case connectTimeout
        /// A request got no reply within its timeout. The connection was closed, since replies can no longer be
        /// matched to requests.
        case requestTimeout
        /// The peer closed the connection or reset it.
        case closedByPeer
        /// The connection was closed on this side: by ``RESPConnection/close()``, or after a timeout or protocol
        /// error of another request.
        case connectionClosed
        /// TLS negotiation failed, for example because the certificate did not verify, or the peer sent a TLS alert.
        /// Under TLS 1.3 a server that rejects the client certificate does so after the client's handshake is done,
        /// so this can also fail the first request rather than the connect.
        case tlsHandshakeFailed
        /// The peer sent bytes that are not valid RESP. The connection was closed.
        case protocolError
        /// The server refused a command sent on connect (AUTH, HELLO, SELECT or CLIENT SETNAME).
        case handshakeRejected
        /// Any other socket error.
        case ioError
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation.
    public let message: String
    /// The error underneath, if there is one (an `IOError`, `NIOSSLError`, `RESPParsingError`...).
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "\(self.code): \(self.message)"
    }
}
