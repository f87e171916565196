/// How an outgoing socket is set up.
///
/// ```swift
/// var options = SocketClientOptions()
/// options.connectTimeout = .seconds(2)
/// options.keepAlive = TCPKeepAlive(idle: .seconds(30), interval: .seconds(5), count: 3)
/// options.tls = try ClientTLSOptions(caFile: "ca.crt", serverName: "localhost")
/// ```
public struct SocketClientOptions: Sendable {
    /// How long the TCP (or Unix) connect may take, and separately how long the TLS handshake may take.
    public var connectTimeout: Duration
    /// Disables Nagle's algorithm, which otherwise delays small pipelined writes. TCP only.
    public var tcpNoDelay: Bool
    /// Kernel keep-alive probes; `nil` leaves the system default (usually off). TCP only.
    public var keepAlive: TCPKeepAlive?
    /// TLS on top of the socket; `nil` for plain text.
    public var tls: ClientTLSOptions?

    /// Creates options with the defaults: a 5 second connect timeout, `TCP_NODELAY` on, keep-alive probes after
    /// 5 idle minutes, and no TLS.
    public init(
        connectTimeout: Duration = .seconds(5),
        tcpNoDelay: Bool = true,
        keepAlive: TCPKeepAlive? = TCPKeepAlive(),
        tls: ClientTLSOptions? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.tcpNoDelay = tcpNoDelay
        self.keepAlive = keepAlive
        self.tls = tls
    }
}
