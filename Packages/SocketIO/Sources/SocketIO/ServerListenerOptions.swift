import NIOSSL

/// How a ``ServerListener`` accepts clients.
///
/// ```swift
/// var options = ServerListenerOptions()
/// options.maximumClients = 10_000
/// options.backlog = 511
/// options.tls = try NIOSSLContext(configuration: .makeServerConfiguration(
///     certificateChain: try NIOSSLCertificate.fromPEMFile("server.crt").map { .certificate($0) },
///     privateKey: .file("server.key")
/// ))
/// ```
public struct ServerListenerOptions: Sendable {
    /// The length of the kernel's queue of connections not yet accepted (`listen(2)`'s backlog).
    public var backlog: Int
    /// Clients beyond this many are told `-ERR max number of clients reached` and closed, as Redis does.
    public var maximumClients: Int
    /// Disables Nagle's algorithm on accepted TCP connections.
    public var tcpNoDelay: Bool
    /// Kernel keep-alive probes on accepted TCP connections; `nil` leaves the system default.
    public var keepAlive: TCPKeepAlive?
    /// TLS for every accepted connection; `nil` for plain text.
    public var tls: NIOSSLContext?
    /// Lets handlers park idle clients without a channel (see ``ParkingTicket``), which cuts an idle client's
    /// memory from about 2 KB to its socket. Linux only, on TCP without TLS; the listener then accepts on a thread
    /// of its own. Off by default.
    public var parksIdleClients: Bool

    /// Creates options with Redis's defaults: a backlog of 511 and at most 10,000 clients.
    public init(
        backlog: Int = 511,
        maximumClients: Int = 10_000,
        tcpNoDelay: Bool = true,
        keepAlive: TCPKeepAlive? = TCPKeepAlive(),
        tls: NIOSSLContext? = nil,
        parksIdleClients: Bool = false
    ) {
        self.backlog = backlog
        self.maximumClients = maximumClients
        self.tcpNoDelay = tcpNoDelay
        self.keepAlive = keepAlive
        self.tls = tls
        self.parksIdleClients = parksIdleClients
    }
}
